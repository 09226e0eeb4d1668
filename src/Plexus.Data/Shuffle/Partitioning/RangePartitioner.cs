namespace Plexus.Data.Shuffle;

/// <summary>
/// Sends a row to the range its (key, tiebreak) falls in, the tiebreak coming from the row's block
/// and position (<see cref="RowTiebreak"/>), as the sample task computed it.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class RangePartitioner<T, TKey> : ISortedRowPartitioner<T>
{
    private readonly Func<T, TKey> _keyOf;
    private readonly RangeBoundaries<TKey> _boundaries;
    private readonly long _blockIndex;

    // The position in the block of the next row: rows must be the block's, in its order.
    private long _nextRow;

    public RangePartitioner(Func<T, TKey> keyOf, RangeBoundaries<TKey> boundaries, long blockIndex)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentNullException.ThrowIfNull(boundaries);
        _keyOf = keyOf;
        _boundaries = boundaries;
        _blockIndex = blockIndex;
    }

    public int PartitionCount => _boundaries.PartitionCount;

    public void Assign(ReadOnlySpan<T> rows, Span<int> partitionOfRow)
    {
        PartitionArguments.RequireSameLength(rows.Length, partitionOfRow.Length);
        for (var i = 0; i < rows.Length; i++, _nextRow++)
        {
            // The tiebreak is a hash: computed only for a row whose key is a boundary's.
            var key = _keyOf(rows[i]);
            if (!_boundaries.TryPartitionByKey(key, out partitionOfRow[i]))
            {
                partitionOfRow[i] = _boundaries.PartitionOf(key, RowTiebreak.Of(_blockIndex, _nextRow));
            }
        }
    }

    /// <remarks>
    /// In sorted order, the rows between two boundaries' keys are one stretch, all of one partition:
    /// two binary searches per boundary find it, so a row costs a store, not a search of the ranges.
    /// Only rows whose key is a boundary's depend on their tiebreak, and get <see cref="RangeBoundaries{TKey}.PartitionOf"/>.
    /// </remarks>
    public void AssignSorted(ReadOnlySpan<T> rows, ReadOnlySpan<int> order, Span<int> partitionOfRow)
    {
        PartitionArguments.RequireSameLength(rows.Length, partitionOfRow.Length);
        PartitionArguments.RequireSameLength(rows.Length, order.Length);
        var boundaries = _boundaries.Boundaries;
        var next = 0;
        var boundary = 0;
        while (next < order.Length && boundary < boundaries.Length)
        {
            // Rows before the boundary's key go to the partition that ends at it.
            var key = boundaries[boundary].Key;
            var equal = FirstNotBefore(rows, order, next, key, orEqual: false);
            SetPartition(partitionOfRow, order[next..equal], boundary);
            var after = FirstNotBefore(rows, order, equal, key, orEqual: true);
            for (var i = equal; i < after; i++)
            {
                partitionOfRow[order[i]] = _boundaries.PartitionOf(key, RowTiebreak.Of(_blockIndex, _nextRow + order[i]));
            }

            // Later boundaries with the same key have had their rows: the next range starts after all of them.
            boundary++;
            while (boundary < boundaries.Length && _boundaries.CompareKeys(boundaries[boundary].Key, key) == 0)
            {
                boundary++;
            }

            next = after;
        }

        SetPartition(partitionOfRow, order[next..], boundary);
        _nextRow += rows.Length;
    }

    /// <summary>
    /// The first index at or after <paramref name="start"/> in <paramref name="order"/> whose row's key
    /// is not before <paramref name="key"/> (with <paramref name="orEqual"/>: is after it).
    /// </summary>
    private int FirstNotBefore(ReadOnlySpan<T> rows, ReadOnlySpan<int> order, int start, TKey key, bool orEqual)
    {
        int low = start, high = order.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            var byKey = _boundaries.CompareKeys(_keyOf(rows[order[middle]]), key);
            if (byKey < 0 || (orEqual && byKey == 0))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static void SetPartition(Span<int> partitionOfRow, ReadOnlySpan<int> positions, int partition)
    {
        foreach (var position in positions)
        {
            partitionOfRow[position] = partition;
        }
    }
}
