namespace Plexus.Data.Shuffle;

/// <summary>
/// Sends each row to a random partition drawn from rng(seed, block): a re-run of the block draws
/// the same partitions, as lineage requires.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal sealed class RandomPartitioner<T> : IRowPartitioner<T>
{
    // Advanced row by row over the whole block, across batches.
    private SeededRandom _random;

    public RandomPartitioner(int partitionCount, ulong seed, long blockIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        PartitionCount = partitionCount;
        _random = new SeededRandom(seed, blockIndex);
    }

    public int PartitionCount { get; }

    public void Assign(ReadOnlySpan<T> rows, Span<int> partitionOfRow)
    {
        PartitionArguments.RequireSameLength(rows.Length, partitionOfRow.Length);
        for (var i = 0; i < partitionOfRow.Length; i++)
        {
            partitionOfRow[i] = _random.NextBelow(PartitionCount);
        }
    }
}
