using Plexus.Data.Blocks;
using Plexus.Data.Shuffle;

namespace Plexus.Data.Operators;

/// <summary>
/// A broadcast join's step on the left side's tasks: before binding, fetches the right side's blocks
/// (each node's store keeps the copy it fetched, so a node fetches them once, whatever its tasks) and
/// builds one table; then joins each batch of left rows against it, with no shuffle.
/// </summary>
internal sealed class BroadcastProbeOperator<TLeft, TRight, TKey, TOut> : Operator<TLeft, TOut>
    where TKey : notnull
{
    /// <summary>The right side's blocks; the run that submitted the task keeps them alive until it is done.</summary>
    public required ObjectRef<byte[]>[] Right { get; init; }

    public required RemoteFunction<Func<TLeft, TKey>> LeftKey { get; init; }

    public required RemoteFunction<Func<TRight, TKey>> RightKey { get; init; }

    public required RemoteFunction<Func<TLeft, TRight?, TOut>> Result { get; init; }

    public required JoinKind Kind { get; init; }

    public override string Describe() => $"Broadcast{(Kind == JoinKind.Inner ? "Join" : "LeftJoin")}({Result.Name})";

    public override async ValueTask<Operator> PrepareAsync(PipelineContext context)
    {
        var views = await Task.WhenAll(Right.Select(r => r.GetViewAsync(cancellationToken: context.CancellationToken).AsTask())).ConfigureAwait(false);
        try
        {
            // The table copies the rows, so the views can go before the first left row arrives.
            var table = new JoinTable<TRight, TKey>(views.Select(v => BlockReader<TRight>.Rows(v.Memory)).ToArray(), RightKey.Function);
            return new Probe(this, table);
        }
        finally
        {
            foreach (var view in views)
            {
                view.Dispose();
            }
        }
    }

    protected override ChainSink<TLeft, TOut> Bind(IBatchSink<TOut> next, PipelineContext context) =>
        throw new InvalidOperationException("A broadcast join is bound after PrepareAsync has built its table.");

    /// <summary>The step with its table built: made on the worker, never sent.</summary>
    private sealed class Probe(BroadcastProbeOperator<TLeft, TRight, TKey, TOut> spec, JoinTable<TRight, TKey> table) : Operator<TLeft, TOut>
    {
        public override string Describe() => spec.Describe();

        protected override ChainSink<TLeft, TOut> Bind(IBatchSink<TOut> next, PipelineContext context) =>
            new Sink(new HashJoin<TLeft, TRight, TKey, TOut>(spec.LeftKey.Function, spec.RightKey.Function, spec.Result.Function, spec.Kind), table, next);
    }

    private sealed class Sink : ChainSink<TLeft, TOut>
    {
        private readonly HashJoin<TLeft, TRight, TKey, TOut> join;
        private readonly JoinTable<TRight, TKey> table;
        private readonly BatchWriter<TOut> output;

        public Sink(HashJoin<TLeft, TRight, TKey, TOut> join, JoinTable<TRight, TKey> table, IBatchSink<TOut> next)
            : base(next)
        {
            this.join = join;
            this.table = table;
            output = new BatchWriter<TOut>(next);
        }

        public override void Push(ReadOnlySpan<TLeft> rows)
        {
            join.ProbeWithLeft(rows, table, output);
            output.Flush();
        }
    }
}
