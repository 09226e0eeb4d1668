using Plexus.Data.Blocks;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>How a map task assigns its rows to partitions; travels in the task and makes one partitioner per block.</summary>
internal abstract class PartitionSpec<T>
{
    public required int Partitions { get; init; }

    public abstract IRowPartitioner<T> Create(int block);

    /// <summary>
    /// Groups a map's rows (in <paramref name="order"/> when not empty) by partition; what the driver
    /// should learn of them (a salted join's hot keys) goes in <paramref name="meta"/>'s extra payload.
    /// </summary>
    public virtual PartitionedPositions Cut(ReadOnlySpan<T> rows, int block, ReadOnlySpan<int> order, BlockMeta meta) =>
        PartitionScatter.Group(rows, Create(block), order);
}

/// <summary>By a stable hash of the key: equal keys meet in one partition in every process.</summary>
internal sealed class HashPartitionSpec<T, TKey> : PartitionSpec<T>
{
    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    public override IRowPartitioner<T> Create(int block) => new HashPartitioner<T, TKey>(Key.Function, Partitions);
}

/// <summary>
/// By a stable hash of the key, with the keys this block holds on a large share of its rows spread over
/// several partitions (<see cref="HotKeySampler"/>, <see cref="SaltedHashPartitioner{T, TKey}"/>); those keys
/// and their fan-outs go to the driver as a block of <see cref="HotKey{TKey}"/> rows, so the reduces over
/// those partitions can each read the other side's rows of them (<see cref="JoinSkew{TKey}"/>).
/// </summary>
internal sealed class SaltedHashPartitionSpec<T, TKey> : PartitionSpec<T>
    where TKey : notnull
{
    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    public override IRowPartitioner<T> Create(int block) => new HashPartitioner<T, TKey>(Key.Function, Partitions);

    public override PartitionedPositions Cut(ReadOnlySpan<T> rows, int block, ReadOnlySpan<int> order, BlockMeta meta)
    {
        var hot = HotKeySampler.Find(rows, Key.Function, Partitions);
        if (hot.Count == 0)
        {
            return base.Cut(rows, block, order, meta);
        }

        meta.Extra = BlockBuilder<HotKey<TKey>>.Of([.. hot]);
        return PartitionScatter.Group(rows, new SaltedHashPartitioner<T, TKey>(Key.Function, Partitions, hot), order);
    }
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
