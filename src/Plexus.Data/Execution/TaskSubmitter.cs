using Plexus.Data.Plan;
using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>Submits block tasks: every stage's tasks run the one entry point, <see cref="BlockTasks.RunAsync"/>; a stateful stage's go to its actors.</summary>
internal static class TaskSubmitter
{
    public static async ValueTask<SubmittedBlock> SubmitAsync(
        RunContext run, StagePlan stage, StageStats stats, int index, StageSource source, ObjectRef<byte[]>? input, StageOutput output,
        Operators.Operator[]? operators = null)
    {
        var task = new StageTask
        {
            Stage = stats.Name,
            Block = index,
            Source = source,
            Operators = operators ?? [.. stage.Operators],
            Output = output,
        };
        stats.Submitted();
        if (stage.Pool is not null)
        {
            var call = await run.PoolOf(stage).SubmitAsync(task, input).ConfigureAwait(false);
            return new SubmittedBlock(index, stats, source.Describe(index), [call.Result], null, call);
        }

        var options = stage.Options;
        var refs = run.Plexus.Task<StageTask, ReadOnlyMemory<byte>, CancellationToken, byte[][]>(BlockTasks.RunAsync)
            .WithOptions(new TaskOptions
            {
                Name = task.ToString(),
                Cpus = options.Cpus,
                Resources = options.Resources,
                MaxRetries = options.MaxRetries,
                RetryExceptions = options.RetryExceptions,
                Strategy = source.NodeId is { } node ? SchedulingStrategy.NodeAffinity(node) : options.Strategy ?? SchedulingStrategy.Default,
            })
            .Returns(output.Blocks + 1)
            .Remote(task, input is null ? Arg.Value(ReadOnlyMemory<byte>.Empty) : input.AsMemory(), run.CancellationToken);
        return new SubmittedBlock(index, stats, source.Describe(index), refs[..^1], refs[^1]);
    }
}
