namespace Plexus.Data.Operators;

/// <summary><c>Map</c>: one row out for each row in.</summary>
internal sealed class MapOperator<TIn, TOut> : Operator<TIn, TOut>
{
    public required RemoteFunction<Func<TIn, TOut>> Function { get; init; }

    public override string Describe() => $"Map({Function.Name})";

    protected override ChainSink<TIn, TOut> Bind(IBatchSink<TOut> next, PipelineContext context) => new Sink(Function.Function, next);

    private sealed class Sink(Func<TIn, TOut> map, IBatchSink<TOut> next) : ChainSink<TIn, TOut>(next)
    {
        public override void Push(ReadOnlySpan<TIn> rows)
        {
            var output = Buffer(rows.Length);
            for (var i = 0; i < rows.Length; i++)
            {
                output[i] = map(rows[i]);
            }

            Next.Push(output.AsSpan(0, rows.Length));
        }
    }
}

/// <summary><c>Map</c> with a state value sent once per stage instead of a captured variable.</summary>
internal sealed class MapWithStateOperator<TState, TIn, TOut> : Operator<TIn, TOut>
{
    public required TState State { get; init; }

    public required RemoteFunction<Func<TState, TIn, TOut>> Function { get; init; }

    public override string Describe() => $"Map({Function.Name})";

    protected override ChainSink<TIn, TOut> Bind(IBatchSink<TOut> next, PipelineContext context) => new Sink(State, Function.Function, next);

    private sealed class Sink(TState state, Func<TState, TIn, TOut> map, IBatchSink<TOut> next) : ChainSink<TIn, TOut>(next)
    {
        public override void Push(ReadOnlySpan<TIn> rows)
        {
            var output = Buffer(rows.Length);
            for (var i = 0; i < rows.Length; i++)
            {
                output[i] = map(state, rows[i]);
            }

            Next.Push(output.AsSpan(0, rows.Length));
        }
    }
}
