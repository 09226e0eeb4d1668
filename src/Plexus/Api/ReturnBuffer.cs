namespace Plexus;

/// <summary>
/// Memory a running task writes one of its byte-array returns into, where the object will live:
/// for a value above the inline threshold, the node's shared-memory store itself, so returning it
/// costs no copy and no array of its size. Made by <see cref="PlexusRuntime.CreateReturnBuffer"/>.
/// The task fills <see cref="Memory"/> completely and returns <c>null</c> in that return's place
/// (the element <see cref="Index"/> of its result array, or its result when it has one return):
/// the runtime then seals the buffer as that return, readable as <c>byte[]</c> or
/// <c>ReadOnlyMemory&lt;byte&gt;</c>. A buffer whose return is not null, or whose task fails, is
/// freed, never sealed. The memory must not be used after the task returns.
/// </summary>
public sealed class ReturnBuffer
{
    internal ReturnBuffer(int index, Memory<byte> memory, object placement)
    {
        Index = index;
        Memory = memory;
        Placement = placement;
    }

    /// <summary>Which of the task's returns this buffer becomes (0 for a task with one return).</summary>
    public int Index { get; }

    /// <summary>The bytes of the value, exactly as long as asked: the task writes all of them.</summary>
    public Memory<byte> Memory { get; }

    /// <summary>Where the runtime put the buffer (the store's range or a heap array); the runtime's own.</summary>
    internal object Placement { get; }
}
