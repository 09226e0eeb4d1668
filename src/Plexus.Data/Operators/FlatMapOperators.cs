namespace Plexus.Data.Operators;

/// <summary><c>FlatMap</c>: any number of rows out for each row in.</summary>
internal sealed class FlatMapOperator<TIn, TOut> : Operator<TIn, TOut>
{
    public required RemoteFunction<Func<TIn, IEnumerable<TOut>>> Function { get; init; }

    public override string Describe() => $"FlatMap({Function.Name})";

    protected override ChainSink<TIn, TOut> Bind(IBatchSink<TOut> next, PipelineContext context) =>
        new FlatMapSink<TIn, TOut>(Function.Function, next);
}

/// <summary><c>FlatMap</c> with a state value sent once per stage.</summary>
internal sealed class FlatMapWithStateOperator<TState, TIn, TOut> : Operator<TIn, TOut>
{
    public required TState State { get; init; }

    public required RemoteFunction<Func<TState, TIn, IEnumerable<TOut>>> Function { get; init; }

    public override string Describe() => $"FlatMap({Function.Name})";

    protected override ChainSink<TIn, TOut> Bind(IBatchSink<TOut> next, PipelineContext context)
    {
        var (state, function) = (State, Function.Function);
        return new FlatMapSink<TIn, TOut>(row => function(state, row), next);
    }
}

/// <summary>Collects each row's outputs into batches and pushes every full batch, and the rest at the end of each input batch.</summary>
internal sealed class FlatMapSink<TIn, TOut>(Func<TIn, IEnumerable<TOut>> expand, IBatchSink<TOut> next) : ChainSink<TIn, TOut>(next)
{
    public override void Push(ReadOnlySpan<TIn> rows)
    {
        var output = Buffer(Blocks.BlockReader<TOut>.BatchRows);
        var count = 0;
        foreach (var row in rows)
        {
            foreach (var item in expand(row))
            {
                output[count++] = item;
                if (count == output.Length)
                {
                    Next.Push(output);
                    count = 0;
                }
            }
        }

        if (count > 0)
        {
            Next.Push(output.AsSpan(0, count));
        }
    }
}
