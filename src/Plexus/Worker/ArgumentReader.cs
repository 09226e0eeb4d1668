using System.Reflection;
using System.Runtime.InteropServices;
using Plexus.ObjectStore;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Worker;

/// <summary>Turns a resolved task argument into the value its parameter expects.</summary>
internal static class ArgumentReader
{
    private static readonly MethodInfo ViewMethod = typeof(ArgumentReader).GetMethod(nameof(ViewOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static object? Read(Type parameter, ObjectValue arg, SharedMemoryArena arena)
    {
        if (arg.Location == ValueLocation.Stored && arg.Format == ValueFormat.RawArray && RawArrays.MemoryElementType(parameter) is { } element)
        {
            // Zero-copy: a Memory<T> over the bytes in shared memory, which the node pins while the task runs.
            var count = checked((int)(arg.Size / Marshal.SizeOf(element)));
            var readOnly = parameter.GetGenericTypeDefinition() == typeof(ReadOnlyMemory<>);
            return ViewMethod.MakeGenericMethod(element).Invoke(null, [arena, arg.Offset, count, readOnly]);
        }

        return ValueCodec.Decode(parameter, arg, arena);
    }

    private static object ViewOf<T>(SharedMemoryArena arena, long offset, int count, bool readOnly) where T : unmanaged
    {
        var memory = arena.GetMemory<T>(offset, count);
        return readOnly ? (ReadOnlyMemory<T>)memory : memory;
    }
}
