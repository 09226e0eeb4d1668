namespace Plexus.Data.Shuffle;

/// <summary>
/// Sends a row to the range its (key, tiebreak) falls in, the tiebreak coming from the row's block
/// and position (<see cref="RowTiebreak"/>), as the sample task computed it.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class RangePartitioner<T, TKey> : IRowPartitioner<T>
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
}
