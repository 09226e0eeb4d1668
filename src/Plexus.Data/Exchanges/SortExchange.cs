using Plexus.Data.Blocks;
using Plexus.Data.Operators;
using Plexus.Data.Plan;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>
/// <c>OrderBy</c>: sample the keys of the upstream blocks, pick range boundaries, cut and sort each
/// block into one sorted run per range (radix sort for normalized keys), and merge each range's runs
/// in a reduce. Reduces run in range order, so the output is globally sorted in block order.
/// </summary>
internal sealed class SortExchange<T, TKey>(RemoteFunction<Func<T, TKey>> key, SortDirection direction) : Exchange
{
    public override string Name => direction == SortDirection.Ascending ? $"OrderBy({key.Name})" : $"OrderByDescending({key.Name})";

    public override bool MaterializesInput => true;

    public override StageOutput SampleOutput(int rows) => new KeySampleOutput<T, TKey> { Key = key, Rows = rows };

    public override ExchangeRun Prepare(int partitions, IReadOnlyList<BlockMeta> samples, IReadOnlyList<long> blockRows)
    {
        var keys = samples.Where(s => s.Extra is not null)
            .SelectMany(s => BlockReader<SampledKey<TKey>>.Rows(s.Extra).ToArray())
            .ToArray();
        var boundaries = RangeBoundaries<TKey>.Pick(keys, partitions, direction);
        return new Run(key, direction, boundaries.Boundaries.ToArray());
    }

    private sealed class Run(RemoteFunction<Func<T, TKey>> key, SortDirection direction, SampledKey<TKey>[] boundaries) : ExchangeRun
    {
        public override int Partitions => boundaries.Length + 1;

        public override StageOutput MapOutput { get; } = new PartitionOutput<T>
        {
            Partitioning = new RangePartitionSpec<T, TKey>
            {
                Key = key,
                Boundaries = BlockBuilder<SampledKey<TKey>>.Of(boundaries),
                Direction = direction,
                Partitions = boundaries.Length + 1,
            },
            Sorter = new KeySorter<T, TKey> { Key = key, Direction = direction },
        };

        public override StageOutput MergeOutput { get; } = new BlockOutput<T>();

        public override StageSource MergeSource(int partition, ObjectRef<byte[]>[] runs) => ReduceSource(partition, runs);

        public override StageSource ReduceSource(int partition, ObjectRef<byte[]>[] runs) =>
            new MergedRunsSource<T, TKey> { Inputs = runs, Key = key, Direction = direction };
    }
}

/// <summary>
/// A sampling task's output: no blocks, only <see cref="Rows"/> keys from rows spaced evenly
/// through the block, with their row tiebreaks, in the meta.
/// </summary>
internal sealed class KeySampleOutput<T, TKey> : StageOutput
{
    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    public required int Rows { get; init; }

    public override int Blocks => 0;

    public override OutputWriter Open(StageTask task, PipelineContext context) => new Writer(Key.Function, Rows, task.Block);

    private sealed class Writer(Func<T, TKey> keyOf, int count, int block) : OutputWriter
    {
        private readonly KeySampleSink<T, TKey> samples = new(keyOf, count, block);

        public override object Sink => samples;

        public override ValueTask<byte[][]> CompleteAsync(BlockMeta meta)
        {
            // Keys travel as a block: raw bytes for keys of unmanaged types, which need no serializer.
            meta.Extra = BlockBuilder<SampledKey<TKey>>.Of(samples.Samples());
            return ValueTask.FromResult<byte[][]>([]);
        }
    }
}
