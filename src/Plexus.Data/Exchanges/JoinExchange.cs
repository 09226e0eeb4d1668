using Plexus.Data.Blocks;
using Plexus.Data.Operators;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>
/// A join's functions, and the two ways it runs. Hashed: both sides hash-partitioned by key into the
/// same R partitions (same hash, same R, so equal keys meet), and reduce r joins partition r of each
/// side, building its table on the side with fewer bytes and probing with the other. Broadcast: the
/// right side's blocks handed to every left task, which probes a table built on them.
/// </summary>
internal abstract class JoinExchange
{
    public abstract string Name { get; }

    /// <summary>The step a broadcast join adds to the left side's tasks, reading <paramref name="right"/>.</summary>
    public abstract Operator BroadcastProbe(ObjectRef<byte[]>[] right);

    public abstract StageOutput LeftMapOutput(int partitions);

    /// <summary>The right side's maps: hot keys the left side's maps reported (blocks of hot keys) are copied to each partition they were spread over.</summary>
    public abstract StageOutput RightMapOutput(int partitions, IReadOnlyList<byte[]> leftHotKeys);

    public abstract StageSource ReduceSource(ObjectRef<byte[]>[] left, ObjectRef<byte[]>[] right, bool buildOnLeft);
}

internal sealed class JoinExchange<TLeft, TRight, TKey, TOut>(
    RemoteFunction<Func<TLeft, TKey>> leftKey, RemoteFunction<Func<TRight, TKey>> rightKey,
    RemoteFunction<Func<TLeft, TRight?, TOut>> result, JoinKind kind) : JoinExchange
    where TKey : notnull
{
    public override string Name => $"{(kind == JoinKind.Inner ? "Join" : "LeftJoin")}({result.Name})";

    public override Operator BroadcastProbe(ObjectRef<byte[]>[] right) =>
        new BroadcastProbeOperator<TLeft, TRight, TKey, TOut> { Right = right, LeftKey = leftKey, RightKey = rightKey, Result = result, Kind = kind };

    public override StageOutput LeftMapOutput(int partitions) =>
        new PartitionOutput<TLeft> { Partitioning = new SaltedHashPartitionSpec<TLeft, TKey> { Key = leftKey, Partitions = partitions } };

    public override StageOutput RightMapOutput(int partitions, IReadOnlyList<byte[]> leftHotKeys)
    {
        // A key hot in several blocks gets the widest fan-out any gave it: its partitions start at the
        // same place in every map, so the widest covers every narrower one.
        var hot = new Dictionary<TKey, int>();
        foreach (var report in leftHotKeys)
        {
            foreach (var key in BlockReader<HotKey<TKey>>.Rows(report).Span)
            {
                hot[key.Key] = Math.Max(key.Fanout, hot.GetValueOrDefault(key.Key));
            }
        }

        PartitionSpec<TRight> partitioning = hot.Count == 0
            ? new HashPartitionSpec<TRight, TKey> { Key = rightKey, Partitions = partitions }
            : new ReplicatedHashPartitionSpec<TRight, TKey> { Key = rightKey, Partitions = partitions, HotKeys = BlockBuilder<HotKey<TKey>>.Of([.. hot.Select(h => new HotKey<TKey>(h.Key, h.Value))]) };
        return new PartitionOutput<TRight> { Partitioning = partitioning };
    }

    public override StageSource ReduceSource(ObjectRef<byte[]>[] left, ObjectRef<byte[]>[] right, bool buildOnLeft) =>
        new JoinRunsSource<TLeft, TRight, TKey, TOut>
        {
            Left = left,
            Right = right,
            LeftKey = leftKey,
            RightKey = rightKey,
            Result = result,
            Kind = kind,
            BuildOnLeft = buildOnLeft,
        };
}

/// <summary>A join's reduce: one partition of each side, read in place, joined into the sink.</summary>
internal sealed class JoinRunsSource<TLeft, TRight, TKey, TOut> : StageSource
    where TKey : notnull
{
    public required ObjectRef<byte[]>[] Left { get; init; }

    public required ObjectRef<byte[]>[] Right { get; init; }

    public required RemoteFunction<Func<TLeft, TKey>> LeftKey { get; init; }

    public required RemoteFunction<Func<TRight, TKey>> RightKey { get; init; }

    public required RemoteFunction<Func<TLeft, TRight?, TOut>> Result { get; init; }

    public required JoinKind Kind { get; init; }

    public required bool BuildOnLeft { get; init; }

    public override async Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context)
    {
        var views = await Task.WhenAll(Left.Concat(Right).Select(r => r.GetViewAsync(cancellationToken: context.CancellationToken).AsTask())).ConfigureAwait(false);
        try
        {
            var left = views[..Left.Length].Select(v => BlockReader<TLeft>.Rows(v.Memory)).ToArray();
            var right = views[Left.Length..].Select(v => BlockReader<TRight>.Rows(v.Memory)).ToArray();
            new HashJoin<TLeft, TRight, TKey, TOut>(LeftKey.Function, RightKey.Function, Result.Function, Kind)
                .Join(left, right, BuildOnLeft ? JoinBuildSide.Left : JoinBuildSide.Right, (IBatchSink<TOut>)sink);
            return left.Sum(r => (long)r.Length) + right.Sum(r => (long)r.Length);
        }
        finally
        {
            foreach (var view in views)
            {
                view.Dispose();
            }
        }
    }

    public override string Describe(int block) => $"partition {block} ({Left.Length} + {Right.Length} runs)";
}
