namespace Plexus.Data.Operators;

/// <summary><c>Filter</c>: the rows the predicate keeps.</summary>
internal sealed class FilterOperator<T> : Operator<T, T>
{
    public required RemoteFunction<Func<T, bool>> Predicate { get; init; }

    public override string Describe() => $"Filter({Predicate.Name})";

    protected override ChainSink<T, T> Bind(IBatchSink<T> next, PipelineContext context) => new Sink(Predicate.Function, next);

    private sealed class Sink(Func<T, bool> keep, IBatchSink<T> next) : ChainSink<T, T>(next)
    {
        public override void Push(ReadOnlySpan<T> rows)
        {
            var output = Buffer(rows.Length);
            var kept = 0;
            foreach (var row in rows)
            {
                if (keep(row))
                {
                    output[kept++] = row;
                }
            }

            if (kept > 0)
            {
                Next.Push(output.AsSpan(0, kept));
            }
        }
    }
}

/// <summary><c>Filter</c> with a state value sent once per stage.</summary>
internal sealed class FilterWithStateOperator<TState, T> : Operator<T, T>
{
    public required TState State { get; init; }

    public required RemoteFunction<Func<TState, T, bool>> Predicate { get; init; }

    public override string Describe() => $"Filter({Predicate.Name})";

    protected override ChainSink<T, T> Bind(IBatchSink<T> next, PipelineContext context) => new Sink(State, Predicate.Function, next);

    private sealed class Sink(TState state, Func<TState, T, bool> keep, IBatchSink<T> next) : ChainSink<T, T>(next)
    {
        public override void Push(ReadOnlySpan<T> rows)
        {
            var output = Buffer(rows.Length);
            var kept = 0;
            foreach (var row in rows)
            {
                if (keep(state, row))
                {
                    output[kept++] = row;
                }
            }

            if (kept > 0)
            {
                Next.Push(output.AsSpan(0, kept));
            }
        }
    }
}
