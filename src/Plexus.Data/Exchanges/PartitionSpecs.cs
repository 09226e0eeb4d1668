using Plexus.Data.Blocks;
using Plexus.Data.Shuffle;

namespace Plexus.Data.Exchanges;

/// <summary>How a map task assigns its rows to partitions; travels in the task and makes one partitioner per block.</summary>
internal abstract class PartitionSpec<T>
{
    public required int Partitions { get; init; }

    public abstract IRowPartitioner<T> Create(int block);
}

/// <summary>By a stable hash of the key: equal keys meet in one partition in every process.</summary>
internal sealed class HashPartitionSpec<T, TKey> : PartitionSpec<T>
{
    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    public override IRowPartitioner<T> Create(int block) => new HashPartitioner<T, TKey>(Key.Function, Partitions);
}

/// <summary>By a seeded random draw per row: the same seed and block give the same assignment on a re-run.</summary>
internal sealed class RandomPartitionSpec<T> : PartitionSpec<T>
{
    public required ulong Seed { get; init; }

    public override IRowPartitioner<T> Create(int block) => new RandomPartitioner<T>(Partitions, Seed, block);
}

/// <summary>By key ranges from a sample, ties spread by each row's tiebreak.</summary>
internal sealed class RangePartitionSpec<T, TKey> : PartitionSpec<T>
{
    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    /// <summary>The boundaries as a block of <see cref="SampledKey{TKey}"/> rows: raw bytes for keys of unmanaged types.</summary>
    public required byte[] Boundaries { get; init; }

    public required SortDirection Direction { get; init; }

    public override IRowPartitioner<T> Create(int block) =>
        new RangePartitioner<T, TKey>(Key.Function, new RangeBoundaries<TKey>(BlockReader<SampledKey<TKey>>.Rows(Boundaries).ToArray(), Direction), block);
}

/// <summary>By each row's place in the whole dataset: partition p gets the p-th of R nearly equal runs of rows, so order is kept.</summary>
internal sealed class ContiguousPartitionSpec<T> : PartitionSpec<T>
{
    /// <summary>The index of each block's first row in the whole dataset, and the total rows last.</summary>
    public required long[] BlockStarts { get; init; }

    public override IRowPartitioner<T> Create(int block) => new Partitioner(BlockStarts[block], BlockStarts[^1], Partitions);

    private sealed class Partitioner(long firstRow, long totalRows, int partitions) : IRowPartitioner<T>
    {
        private long next = firstRow;
        private int partition;

        public int PartitionCount => partitions;

        public void Assign(ReadOnlySpan<T> rows, Span<int> partitionOfRow)
        {
            for (var i = 0; i < rows.Length; i++, next++)
            {
                // Rows come in order, so the partition only moves forward: [p·N/R, (p+1)·N/R) holds row `next`.
                while (partition < partitions - 1 && next >= StartOf(partition + 1))
                {
                    partition++;
                }

                partitionOfRow[i] = partition;
            }
        }

        private long StartOf(int p) => (long)((Int128)totalRows * p / partitions);
    }
}
