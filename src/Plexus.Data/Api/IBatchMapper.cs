namespace Plexus.Data;

/// <summary>
/// A stateful batch function run by a pool of actors (<see cref="Dataset{T}.MapBatches{TMapper, TOut}"/>):
/// each actor builds one instance, with its parameterless constructor, and calls it for many
/// batches, so what is costly to set up (a model, a connection) is set up once per actor.
/// </summary>
/// <typeparam name="TIn">The rows it reads.</typeparam>
/// <typeparam name="TOut">The rows it makes.</typeparam>
public interface IBatchMapper<TIn, TOut>
{
    /// <summary>The rows made of one batch (any number of them). The batch is valid only during the call.</summary>
    TOut[] MapBatch(ReadOnlyMemory<TIn> batch);
}
