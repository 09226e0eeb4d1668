using Plexus.Data.Blocks;
using Plexus.Data.Operators;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>
/// A join's functions, and the two ways it runs. Hashed: both sides hash-partitioned by key into the
/// same R partitions (same hash, same R, so equal keys meet), each side's maps spreading the keys hot
/// in their block, and reduce r joins partition r of each side, with the rows of hot keys the other
/// side spread (<see cref="JoinSkew{TKey}"/>), building its table on the side with fewer bytes and
/// probing with the other. Broadcast: the right side's blocks handed to every left task, which probes
/// a table built on them.
/// </summary>
internal abstract class JoinExchange
{
    public abstract string Name { get; }

    /// <summary>The step a broadcast join adds to the left side's tasks, reading <paramref name="right"/>.</summary>
    public abstract Operator BroadcastProbe(ObjectRef<byte[]>[] right);

    /// <summary>A side's maps: hash partitioning, with the keys hot in a block spread and reported in its meta.</summary>
    public abstract StageOutput MapOutput(JoinSide side, int partitions);

    /// <summary>Settles the hot keys the maps of both sides reported (blocks of hot keys) on one side each.</summary>
    public abstract JoinSkew SettleSkew(int partitions, IReadOnlyList<byte[]> leftReports, IReadOnlyList<byte[]> rightReports);

    /// <summary>
    /// Reduce <paramref name="partition"/>: reads the runs given on each side (every map's run of each
    /// partition <see cref="JoinSkew.PartitionsRead"/> names, with the partition of each run beside it).
    /// </summary>
    public abstract StageSource ReduceSource(int partition, JoinSkew skew, JoinRuns left, JoinRuns right, bool buildOnLeft);
}

/// <summary>Runs of one side a join's reduce reads, and the partition each run belongs to.</summary>
internal sealed record JoinRuns(ObjectRef<byte[]>[] Runs, int[] From);

internal sealed class JoinExchange<TLeft, TRight, TKey, TOut>(
    RemoteFunction<Func<TLeft, TKey>> leftKey, RemoteFunction<Func<TRight, TKey>> rightKey,
    RemoteFunction<Func<TLeft, TRight?, TOut>> result, JoinKind kind) : JoinExchange
    where TKey : notnull
{
    public override string Name => $"{(kind == JoinKind.Inner ? "Join" : "LeftJoin")}({result.Name})";

    public override Operator BroadcastProbe(ObjectRef<byte[]>[] right) =>
        new BroadcastProbeOperator<TLeft, TRight, TKey, TOut> { Right = right, LeftKey = leftKey, RightKey = rightKey, Result = result, Kind = kind };

    public override StageOutput MapOutput(JoinSide side, int partitions) => side == JoinSide.Left
        ? new PartitionOutput<TLeft> { Partitioning = new SaltedHashPartitionSpec<TLeft, TKey> { Key = leftKey, Partitions = partitions } }
        : new PartitionOutput<TRight> { Partitioning = new SaltedHashPartitionSpec<TRight, TKey> { Key = rightKey, Partitions = partitions } };

    public override JoinSkew SettleSkew(int partitions, IReadOnlyList<byte[]> leftReports, IReadOnlyList<byte[]> rightReports) =>
        JoinSkew<TKey>.Settle(HotKeysOf(leftReports), HotKeysOf(rightReports), partitions);

    public override StageSource ReduceSource(int partition, JoinSkew skew, JoinRuns left, JoinRuns right, bool buildOnLeft) =>
        new JoinRunsSource<TLeft, TRight, TKey, TOut>
        {
            Partition = partition,
            Partitions = skew.Partitions,
            Skew = skew.IsEmpty ? [] : BlockBuilder<SkewedJoinKey<TKey>>.Of([.. ((JoinSkew<TKey>)skew).Keys]),
            Left = left.Runs,
            LeftFrom = left.From,
            Right = right.Runs,
            RightFrom = right.From,
            LeftKey = leftKey,
            RightKey = rightKey,
            Result = result,
            Kind = kind,
            BuildOnLeft = buildOnLeft,
        };

    private static IEnumerable<HotKey<TKey>> HotKeysOf(IReadOnlyList<byte[]> reports) =>
        reports.SelectMany(report => BlockReader<HotKey<TKey>>.Rows(report).ToArray());
}
