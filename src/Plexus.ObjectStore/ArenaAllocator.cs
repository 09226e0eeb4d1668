using System.Diagnostics.CodeAnalysis;

namespace Plexus.ObjectStore;

/// <summary>
/// Thread-safe allocator of byte ranges inside a <see cref="SharedMemoryArena"/>. Offsets and sizes are
/// aligned to 64 bytes (one cache line), so objects never share a line and SIMD loads are aligned.
/// </summary>
/// <remarks>
/// <para>
/// Allocation is best-fit: the smallest free range that is large enough, lowest address on ties. An object
/// store sees sizes spanning many orders of magnitude, and best-fit leaves the large ranges intact for the
/// large objects that need them, where first-fit would chip at the first range big enough. It also costs a
/// single O(log n) lookup in a size-ordered set; first-fit by address in O(log n) would need a tree
/// augmented with the largest range per subtree.
/// </para>
/// <para>
/// Freed ranges are merged with free neighbours on both sides, so freeing everything always restores one
/// range of <see cref="Capacity"/> bytes. Both <see cref="TryAllocate"/> and <see cref="Free"/> are
/// O(log n) in the number of free ranges, under one lock.
/// </para>
/// <para>
/// The allocator only does bookkeeping; it never touches arena memory, so it can live in the one process
/// that owns allocation for the node.
/// </para>
/// </remarks>
internal sealed class ArenaAllocator
{
    /// <summary>The alignment of every offset and size handed out: one cache line.</summary>
    internal const long Alignment = 64;

    // Guards every field below; allocations are short and uncontended enough that one lock beats sharding.
    private readonly Lock _lock = new();

    // The free ranges; only touched under _lock.
    private readonly FreeRangeIndex _free = new();

    // Offset -> aligned size of every live allocation, so Free needs only the offset and can reject unknown ones.
    private readonly Dictionary<long, long> _sizeByOffset = [];

    // The sum of aligned sizes of live allocations; guarded by _lock.
    private long _used;

    /// <summary>Creates an allocator over <paramref name="capacity"/> bytes, all free.</summary>
    /// <param name="capacity">
    /// The arena size in bytes. It is rounded down to a multiple of 64; the rounded value is <see cref="Capacity"/>.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 64.</exception>
    public ArenaAllocator(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, Alignment);
        Capacity = capacity & ~(Alignment - 1);
        _free.Release(0, Capacity);
    }

    /// <summary>The number of bytes managed: the constructor's capacity rounded down to a multiple of 64.</summary>
    public long Capacity { get; }

    /// <summary>The bytes held by live allocations, counting each allocation's size rounded up to 64.</summary>
    public long Used
    {
        get
        {
            lock (_lock)
            {
                return _used;
            }
        }
    }

    /// <summary>
    /// The size of the largest contiguous free range: the largest allocation that would succeed now.
    /// Less than <c>Capacity - Used</c> when free space is fragmented.
    /// </summary>
    public long LargestFreeRange
    {
        get
        {
            lock (_lock)
            {
                return _free.LargestLength;
            }
        }
    }

    /// <summary>The number of live allocations.</summary>
    public int AllocationCount
    {
        get
        {
            lock (_lock)
            {
                return _sizeByOffset.Count;
            }
        }
    }

    /// <summary>Allocates <paramref name="size"/> bytes, rounded up to a multiple of 64.</summary>
    /// <param name="size">The number of bytes wanted; must be positive.</param>
    /// <param name="offset">The 64-byte-aligned offset of the range in the arena, or 0 on failure.</param>
    /// <returns>
    /// False when no contiguous free range is large enough (the store is full or fragmented); the caller
    /// decides whether to evict, spill or fail.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is zero or negative.</exception>
    public bool TryAllocate(long size, out long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (size > Capacity)
        {
            // Also keeps the round-up below from overflowing for sizes near long.MaxValue.
            offset = 0;
            return false;
        }

        var alignedSize = (size + Alignment - 1) & ~(Alignment - 1);
        lock (_lock)
        {
            if (!_free.TryTake(alignedSize, out offset))
            {
                return false;
            }

            _sizeByOffset.Add(offset, alignedSize);
            _used += alignedSize;
            return true;
        }
    }

    /// <summary>Returns the allocation at <paramref name="offset"/> to the free space.</summary>
    /// <param name="offset">An offset returned by <see cref="TryAllocate"/> and not freed since.</param>
    /// <exception cref="InvalidOperationException">
    /// <paramref name="offset"/> is not a live allocation: it was never allocated, or was already freed.
    /// </exception>
    public void Free(long offset)
    {
        lock (_lock)
        {
            if (!_sizeByOffset.Remove(offset, out var alignedSize))
            {
                ThrowNotAllocated(offset);
            }

            _used -= alignedSize;
            _free.Release(offset, alignedSize);
        }
    }

    [DoesNotReturn]
    private static void ThrowNotAllocated(long offset) =>
        throw new InvalidOperationException(
            $"Offset {offset} is not a live allocation: it was never allocated or has already been freed. " +
            "Each allocation must be freed exactly once.");
}
