namespace Plexus.ObjectStore;

/// <summary>
/// The free ranges of an arena, indexed three ways so that taking a best fit is O(log n) and returning a
/// range merges it with both neighbours in O(log n). Not thread-safe: <see cref="ArenaAllocator"/> holds
/// its lock around every call.
/// </summary>
/// <remarks>
/// Invariant: free ranges never touch. Every release merges with the range ending where it starts and the
/// range starting where it ends, so two adjacent free ranges can never both be present.
/// </remarks>
internal sealed class FreeRangeIndex
{
    // Start offset -> length of every free range; finds the right-hand neighbour of a released range.
    private readonly Dictionary<long, long> _lengthByStart = [];

    // End offset (exclusive) -> start of every free range; finds the left-hand neighbour of a released range.
    private readonly Dictionary<long, long> _startByEnd = [];

    // Every free range ordered by (length, start). The first entry at or above a requested length is the
    // best fit, and among equal lengths the lowest address, which keeps allocations packed low.
    private readonly SortedSet<(long Length, long Start)> _bySize = [];

    /// <summary>The number of disjoint free ranges.</summary>
    public int Count => _bySize.Count;

    /// <summary>The length of the largest free range, or 0 when nothing is free.</summary>
    public long LargestLength => _bySize.Count == 0 ? 0 : _bySize.Max.Length;

    /// <summary>
    /// Removes the smallest free range of at least <paramref name="length"/> bytes and returns its first
    /// <paramref name="length"/> bytes; the remainder stays free. Returns false when no range is large enough.
    /// </summary>
    public bool TryTake(long length, out long start)
    {
        if (length > LargestLength)
        {
            start = 0;
            return false;
        }

        // GetViewBetween builds the view lazily (no element count), and Min on it descends the tree once,
        // so this is O(log n). The view is non-empty because of the LargestLength check above.
        var (foundLength, foundStart) = _bySize.GetViewBetween((length, long.MinValue), (long.MaxValue, long.MaxValue)).Min;
        Remove(foundStart, foundLength);
        if (foundLength > length)
        {
            Add(foundStart + length, foundLength - length);
        }

        start = foundStart;
        return true;
    }

    /// <summary>Returns a range to the free set, coalescing it with any free neighbour on either side.</summary>
    public void Release(long start, long length)
    {
        if (_startByEnd.TryGetValue(start, out var leftStart))
        {
            Remove(leftStart, start - leftStart);
            length += start - leftStart;
            start = leftStart;
        }

        if (_lengthByStart.TryGetValue(start + length, out var rightLength))
        {
            Remove(start + length, rightLength);
            length += rightLength;
        }

        Add(start, length);
    }

    private void Add(long start, long length)
    {
        _lengthByStart.Add(start, length);
        _startByEnd.Add(start + length, start);
        _bySize.Add((length, start));
    }

    private void Remove(long start, long length)
    {
        _lengthByStart.Remove(start);
        _startByEnd.Remove(start + length);
        _bySize.Remove((length, start));
    }
}
