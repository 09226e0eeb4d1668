using Plexus.Data.Plan;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>
/// <c>Repartition(n)</c> keeping order: each block's rows go to the partitions their place in the
/// whole dataset falls in, so partition p holds the p-th of n nearly equal runs of rows.
/// </summary>
internal sealed class OrderedRepartitionExchange<T>(int partitions) : Exchange
{
    public override string Name => $"Repartition({partitions})";

    public override bool MaterializesInput => true;

    public override int? Partitions => partitions;

    public override ExchangeRun Prepare(int partitions, IReadOnlyList<BlockMeta> samples, IReadOnlyList<long> blockRows)
    {
        var starts = new long[blockRows.Count + 1];
        for (var i = 0; i < blockRows.Count; i++)
        {
            starts[i + 1] = starts[i] + blockRows[i];
        }

        return new ConcatRun(new ContiguousPartitionSpec<T> { BlockStarts = starts, Partitions = partitions });
    }

    private sealed class ConcatRun(PartitionSpec<T> partitioning) : ExchangeRun
    {
        public override int Partitions => partitioning.Partitions;

        public override StageOutput MapOutput { get; } = new PartitionOutput<T> { Partitioning = partitioning };

        public override StageSource ReduceSource(int partition, ObjectRef<byte[]>[] runs) => new ConcatRunsSource<T> { Inputs = runs };
    }
}

/// <summary>
/// <c>RandomShuffle</c> (and <c>Repartition(n, shuffle: true)</c>): rows sent to partitions by a
/// seeded draw, and each partition's rows shuffled again by the seed: a re-run gives the same order.
/// </summary>
internal sealed class RandomShuffleExchange<T>(ulong seed, int? partitions) : Exchange
{
    public override string Name => partitions is null ? "RandomShuffle" : $"Repartition({partitions}, shuffle)";

    public override int? Partitions => partitions;

    public override ExchangeRun Prepare(int partitions, IReadOnlyList<BlockMeta> samples, IReadOnlyList<long> blockRows) =>
        new Run(seed, new RandomPartitionSpec<T> { Seed = seed, Partitions = partitions });

    private sealed class Run(ulong seed, PartitionSpec<T> partitioning) : ExchangeRun
    {
        public override int Partitions => partitioning.Partitions;

        public override StageOutput MapOutput { get; } = new PartitionOutput<T> { Partitioning = partitioning };

        public override StageSource ReduceSource(int partition, ObjectRef<byte[]>[] runs) =>
            new ShuffledRunsSource<T> { Inputs = runs, Seed = seed, Partition = partition };
    }
}
