using System.Buffers;

namespace Plexus.ObjectStore;

/// <summary>
/// Exposes a typed window of a <see cref="SharedMemoryArena"/> as <see cref="Memory{T}"/>, so mapped
/// memory can flow through APIs that take Memory (pipelines, async I/O) without copying.
/// </summary>
/// <remarks>
/// The mapping never moves, so <see cref="Pin"/> just hands out the pointer and <see cref="Unpin"/> does
/// nothing. The arena, not this manager, owns the mapping: disposing the manager releases nothing.
/// </remarks>
internal sealed unsafe class ArenaMemoryManager<T> : MemoryManager<T>
    where T : unmanaged
{
    // The arena that owns the mapping; checked on every access so that using a Memory<T> after the arena
    // is disposed throws ObjectDisposedException instead of faulting on an unmapped address.
    private readonly SharedMemoryArena _arena;

    // The first element of the window, inside the arena's mapping.
    private readonly T* _pointer;

    // The number of elements in the window; the arena has already checked it fits.
    private readonly int _length;

    public ArenaMemoryManager(SharedMemoryArena arena, T* pointer, int length)
    {
        _arena = arena;
        _pointer = pointer;
        _length = length;
    }

    public override Span<T> GetSpan()
    {
        _arena.ThrowIfDisposed();
        return new Span<T>(_pointer, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        _arena.ThrowIfDisposed();
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
        // Nothing to do: mapped memory is not on the GC heap and never moves.
    }

    protected override void Dispose(bool disposing)
    {
        // Nothing to do: the arena owns and unmaps the memory.
    }
}
