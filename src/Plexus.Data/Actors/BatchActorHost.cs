using Plexus.Data.Operators;
using Plexus.Data.Worker;

namespace Plexus.Data.Actors;

/// <summary>
/// The actor behind every stateful stage: it builds the user's batch mapper once, then runs the
/// stage's pipeline (source, operators before the mapper, the mapper, operators after) for each
/// block it is given. Its result, a block, is owned by the driver that called it.
/// </summary>
internal sealed class BatchActorHost(MapperFactory factory)
{
    private readonly object mapper = factory.Create();

    /// <summary>Runs <paramref name="task"/> over <paramref name="inputs"/> (none, when the task's source reads for itself, or one block).</summary>
    public async Task<byte[]> RunAsync(StageTask task, ObjectRef<byte[]>[] inputs)
    {
        var context = new PipelineContext(CancellationToken.None) { Mapper = mapper, Block = task.Block };
        if (inputs.Length == 0)
        {
            return (await BlockTasks.RunPipelineAsync(task, ReadOnlyMemory<byte>.Empty, context).ConfigureAwait(false)).Blocks[0];
        }

        using var view = await inputs[0].GetViewAsync().ConfigureAwait(false);
        return (await BlockTasks.RunPipelineAsync(task, view.Memory, context).ConfigureAwait(false)).Blocks[0];
    }

    /// <summary>Answers once the actor is built: the pool counts it ready then.</summary>
    public bool Ready() => true;
}
