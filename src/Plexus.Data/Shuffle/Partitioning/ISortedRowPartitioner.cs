namespace Plexus.Data.Shuffle;

/// <summary>
/// A partitioner that can assign a block's rows faster when it is given them sorted by its own key
/// and direction (a sort's map sorts first): a range partitioner then finds where each range
/// starts with a binary search over the sorted rows, instead of searching the ranges for every row.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal interface ISortedRowPartitioner<T> : IRowPartitioner<T>
{
    /// <summary>
    /// Writes the partition of <c>rows[i]</c> into <c>partitionOfRow[i]</c>, exactly as
    /// <see cref="IRowPartitioner{T}.Assign"/> would for the whole block. <paramref name="order"/>
    /// holds the rows' positions sorted by the partitioner's key in its direction; the rows must be
    /// the block's, all of them, and the partitioner must not have assigned rows before.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    void AssignSorted(ReadOnlySpan<T> rows, ReadOnlySpan<int> order, Span<int> partitionOfRow);
}
