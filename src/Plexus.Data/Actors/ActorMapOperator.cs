using Plexus.Data.Operators;

namespace Plexus.Data.Actors;

/// <summary>The batch mapper's step, run inside an actor of the stage's pool with the mapper the actor built.</summary>
internal sealed class ActorMapOperator<TMapper, TIn, TOut> : Operator<TIn, TOut>
    where TMapper : class, IBatchMapper<TIn, TOut>
{
    public required int BatchRows { get; init; }

    public override string Describe() => $"MapBatches({typeof(TMapper).Name})";

    protected override ChainSink<TIn, TOut> Bind(IBatchSink<TOut> next, PipelineContext context)
    {
        var mapper = context.Mapper as TMapper
            ?? throw new InvalidOperationException($"{typeof(TMapper).Name} runs only inside its stage's actors.");
        return new BatchingSink<TIn, TOut>(mapper.MapBatch, BatchRows, next);
    }
}
