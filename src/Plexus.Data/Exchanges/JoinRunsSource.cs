using Plexus.Data.Blocks;
using Plexus.Data.Operators;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>
/// A join's reduce: its partition of each side, read in place, joined into the sink. When keys were
/// hot it also reads the other partitions holding rows it copies, and keeps of each row only what
/// <see cref="JoinSkew{TKey}.Keeps"/> gives it.
/// </summary>
internal sealed class JoinRunsSource<TLeft, TRight, TKey, TOut> : StageSource
    where TKey : notnull
{
    public required int Partition { get; init; }

    public required int Partitions { get; init; }

    /// <summary>The hot keys as a block of <see cref="SkewedJoinKey{TKey}"/> rows; empty when none was hot.</summary>
    public required byte[] Skew { get; init; }

    public required ObjectRef<byte[]>[] Left { get; init; }

    /// <summary>The partition each of <see cref="Left"/>'s runs belongs to.</summary>
    public required int[] LeftFrom { get; init; }

    public required ObjectRef<byte[]>[] Right { get; init; }

    /// <summary>The partition each of <see cref="Right"/>'s runs belongs to.</summary>
    public required int[] RightFrom { get; init; }

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
            var buildSide = BuildOnLeft ? JoinSide.Left : JoinSide.Right;
            if (Skew.Length == 0)
            {
                Join(Kind).Join(left, right, buildSide, (IBatchSink<TOut>)sink);
                return left.Sum(r => (long)r.Length) + right.Sum(r => (long)r.Length);
            }

            var skew = new JoinSkew<TKey>(BlockReader<SkewedJoinKey<TKey>>.Rows(Skew).ToArray(), Partitions);
            var lefts = Kept(left, LeftFrom, LeftKey.Function, JoinSide.Left, skew);
            var rights = Kept(right, RightFrom, RightKey.Function, JoinSide.Right, skew);
            if (Kind == JoinKind.Inner)
            {
                Join(Kind).Join([lefts.ToArray()], [rights.ToArray()], buildSide, (IBatchSink<TOut>)sink);
            }
            else
            {
                // Keys spread on the right have a match for every left row, though maybe not in this
                // reduce: joined inner, apart from the rest, so none of their left rows is emitted unmatched.
                var leftKeyOf = LeftKey.Function;
                var rightKeyOf = RightKey.Function;
                Join(JoinKind.LeftOuter).Join(
                    [lefts.Where(l => !skew.IsSpreadOn(JoinSide.Right, leftKeyOf(l))).ToArray()],
                    [rights.Where(r => !skew.IsSpreadOn(JoinSide.Right, rightKeyOf(r))).ToArray()], buildSide, (IBatchSink<TOut>)sink);
                Join(JoinKind.Inner).Join(
                    [lefts.Where(l => skew.IsSpreadOn(JoinSide.Right, leftKeyOf(l))).ToArray()],
                    [rights.Where(r => skew.IsSpreadOn(JoinSide.Right, rightKeyOf(r))).ToArray()], buildSide, (IBatchSink<TOut>)sink);
            }

            return lefts.Count + rights.Count;
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

    private HashJoin<TLeft, TRight, TKey, TOut> Join(JoinKind kind) => new(LeftKey.Function, RightKey.Function, Result.Function, kind);

    /// <summary>The rows of one side this reduce joins, in run order.</summary>
    private List<T> Kept<T>(ReadOnlyMemory<T>[] runs, int[] from, Func<T, TKey> keyOf, JoinSide side, JoinSkew<TKey> skew)
    {
        var kept = new List<T>();
        for (var i = 0; i < runs.Length; i++)
        {
            foreach (var row in runs[i].Span)
            {
                if (skew.Keeps(side, keyOf(row), from[i], Partition))
                {
                    kept.Add(row);
                }
            }
        }

        return kept;
    }
}
