using Plexus.Data.Blocks;
using Plexus.Data.Operators;
using Plexus.Data.Plan;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>
/// A group-by with an aggregation, combined map-side: each map folds its rows into one accumulator
/// per key and sends only these partials, hash-partitioned by key; each reduce merges its
/// partitions' partials in map order and finishes them. A key holding half the rows costs one
/// partial per map, not half the rows.
/// </summary>
/// <param name="key">The grouping key.</param>
/// <param name="aggregator">What is folded per key.</param>
/// <param name="name">The stage's name when the exchange is another operation's way of running (<c>Distinct</c>); null names the group-by.</param>
internal sealed class CombineExchange<T, TKey, TAcc, TResult>(RemoteFunction<Func<T, TKey>> key, AggregatorSpec<T, TAcc, TResult> aggregator, string? name = null) : Exchange
    where TKey : notnull
{
    public override string Name => name ?? $"GroupBy({key.Name}).{aggregator.Name}";

    public override ExchangeRun Prepare(int partitions, IReadOnlyList<BlockMeta> samples, IReadOnlyList<long> blockRows) =>
        new Run(partitions, key, aggregator);

    private sealed class Run(int partitions, RemoteFunction<Func<T, TKey>> key, AggregatorSpec<T, TAcc, TResult> aggregator) : ExchangeRun
    {
        public override int Partitions => partitions;

        public override StageOutput MapOutput { get; } = new CombineOutput<T, TKey, TAcc, TResult> { Key = key, Aggregator = aggregator, Partitions = partitions };

        public override StageSource ReduceSource(int partition, ObjectRef<byte[]>[] runs) =>
            new MergePartialsSource<T, TKey, TAcc, TResult> { Inputs = runs, Aggregator = aggregator };
    }
}

/// <summary>A combining map's output: one block of <c>(key, partial)</c> rows per partition.</summary>
internal sealed class CombineOutput<T, TKey, TAcc, TResult> : StageOutput
    where TKey : notnull
{
    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    public required AggregatorSpec<T, TAcc, TResult> Aggregator { get; init; }

    public required int Partitions { get; init; }

    public override int Blocks => Partitions;

    public override OutputWriter Open(StageTask task, PipelineContext context) => new Writer(this);

    private sealed class Writer : OutputWriter
    {
        private readonly BlockBuilder<(TKey Key, TAcc Accumulator)>[] partitions;
        private readonly Combiner<T, TKey, TAcc> combiner;

        public Writer(CombineOutput<T, TKey, TAcc, TResult> output)
        {
            partitions = [.. Enumerable.Range(0, output.Partitions).Select(_ => new BlockBuilder<(TKey Key, TAcc Accumulator)>())];
            combiner = Combiner<T, TKey, TAcc>.Create(output.Key.Function, output.Aggregator.Create(), partitions);
        }

        public override object Sink => combiner;

        public override ValueTask<byte[][]> CompleteAsync(BlockMeta meta)
        {
            combiner.Complete();
            return ValueTask.FromResult(PartitionBlocks.Build(partitions, meta));
        }
    }
}

/// <summary>A reduce of partials: merged per key in map order, then finished into <c>(key, result)</c> rows.</summary>
internal sealed class MergePartialsSource<T, TKey, TAcc, TResult> : RunsSource<(TKey Key, TAcc Accumulator)>
    where TKey : notnull
{
    public required AggregatorSpec<T, TAcc, TResult> Aggregator { get; init; }

    protected override void Reduce(ReadOnlyMemory<(TKey Key, TAcc Accumulator)>[] runs, object sink, PipelineContext context)
    {
        var merger = new PartialMerger<T, TKey, TAcc, TResult>(Aggregator.Create());
        foreach (var run in runs)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            merger.Push(run.Span);
        }

        merger.Finish((IBatchSink<(TKey Key, TResult Value)>)sink);
    }
}

/// <summary>Builds one block per partition builder, filling the meta's row and byte counts.</summary>
internal static class PartitionBlocks
{
    public static byte[][] Build<TRow>(BlockBuilder<TRow>[] partitions, BlockMeta meta)
    {
        meta.Rows = [.. partitions.Select(p => p.Rows)];
        var blocks = partitions.Select(p => p.Build()).ToArray();
        meta.Bytes = [.. blocks.Select(b => (long)b.Length)];
        return blocks;
    }
}

/// <summary>
/// <c>MapGroups</c>: rows hash-partitioned by key, with no combining; each reduce gathers its keys'
/// rows (in map order) and calls the function once per key. A key holding many rows makes one large group.
/// </summary>
internal sealed class MapGroupsExchange<T, TKey, TOut>(RemoteFunction<Func<T, TKey>> key, RemoteFunction<Func<TKey, IReadOnlyList<T>, TOut>> map) : Exchange
    where TKey : notnull
{
    public override string Name => $"GroupBy({key.Name}).MapGroups({map.Name})";

    public override ExchangeRun Prepare(int partitions, IReadOnlyList<BlockMeta> samples, IReadOnlyList<long> blockRows) =>
        new Run(new HashPartitionSpec<T, TKey> { Key = key, Partitions = partitions }, key, map);

    private sealed class Run(PartitionSpec<T> partitioning, RemoteFunction<Func<T, TKey>> key, RemoteFunction<Func<TKey, IReadOnlyList<T>, TOut>> map) : ExchangeRun
    {
        public override int Partitions => partitioning.Partitions;

        public override StageOutput MapOutput { get; } = new PartitionOutput<T> { Partitioning = partitioning };

        public override StageSource ReduceSource(int partition, ObjectRef<byte[]>[] runs) =>
            new GroupRowsSource<T, TKey, TOut> { Inputs = runs, Key = key, Map = map };
    }
}

/// <summary>A <c>MapGroups</c> reduce: each key's rows together, in first-seen key order.</summary>
internal sealed class GroupRowsSource<T, TKey, TOut> : RunsSource<T>
    where TKey : notnull
{
    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    public required RemoteFunction<Func<TKey, IReadOnlyList<T>, TOut>> Map { get; init; }

    protected override void Reduce(ReadOnlyMemory<T>[] runs, object sink, PipelineContext context)
    {
        var keyOf = Key.Function;
        var groups = new Dictionary<TKey, List<T>>();
        foreach (var run in runs)
        {
            foreach (var row in run.Span)
            {
                var key = keyOf(row);
                if (!groups.TryGetValue(key, out var rows))
                {
                    groups[key] = rows = [];
                }

                rows.Add(row);
            }
        }

        var map = Map.Function;
        var output = groups.Select(g => map(g.Key, g.Value)).ToArray();
        ((IBatchSink<TOut>)sink).Push(output);
    }
}
