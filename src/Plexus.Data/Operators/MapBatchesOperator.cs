namespace Plexus.Data.Operators;

/// <summary><c>MapBatches</c>: the function sees batches of up to <see cref="BatchRows"/> rows and returns any rows for each.</summary>
internal sealed class MapBatchesOperator<TIn, TOut> : Operator<TIn, TOut>
{
    public required RemoteFunction<Func<ReadOnlyMemory<TIn>, TOut[]>> Function { get; init; }

    public required int BatchRows { get; init; }

    public override string Describe() => $"MapBatches({Function.Name})";

    protected override ChainSink<TIn, TOut> Bind(IBatchSink<TOut> next, PipelineContext context) =>
        new BatchingSink<TIn, TOut>(Function.Function, BatchRows, next);
}
