namespace Plexus.Data.Shuffle;

/// <summary>
/// Says which of R partitions each row of one block goes to. An instance serves one block: it
/// counts the rows it has seen, so the batches of a block must come in order.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal interface IRowPartitioner<T>
{
    /// <summary>R, the number of partitions; each answer is in [0, R).</summary>
    int PartitionCount { get; }

    /// <summary>Writes the partition of <c>rows[i]</c> into <c>partitionOfRow[i]</c>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    void Assign(ReadOnlySpan<T> rows, Span<int> partitionOfRow);
}
