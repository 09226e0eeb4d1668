using System.Runtime.CompilerServices;
using Plexus.Data.Plan;
using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>Submits a hashed join: both sides mapped into the same partitions, then one reduce per partition.</summary>
internal sealed class JoinSubmissions(StageExecutor executor, RunContext run)
{
    /// <summary>Maps both sides of a join, then submits one reduce per partition, building on the side with fewer bytes.</summary>
    public async IAsyncEnumerable<SubmittedBlock> SubmitJoinsAsync(
        StagePlan stage, StageStats stageStats, JoinInput input, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partitions = run.ShufflePartitions;
        var left = await executor.MapToRunsAsync(input.Left, input.Join.LeftMapOutput(partitions), cancellationToken).ConfigureAwait(false);
        MappedRuns right;
        try
        {
            right = await executor.MapToRunsAsync(input.Right, input.Join.RightMapOutput(partitions, left.Reports), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            left.Free();
            throw;
        }

        stageStats.BlocksTotal = partitions;
        var next = 0;
        try
        {
            for (; next < partitions; next++)
            {
                var leftPartition = left.Partition(next);
                var rightPartition = right.Partition(next);
                var source = input.Join.ReduceSource(leftPartition, rightPartition, buildOnLeft: left.Bytes < right.Bytes);
                var submitted = await TaskSubmitter.SubmitAsync(run, stage, stageStats, next, source, null, output).ConfigureAwait(false);
                submitted.Holds.AddRange(leftPartition);
                submitted.Holds.AddRange(rightPartition);
                yield return submitted;
            }
        }
        finally
        {
            for (; next < partitions; next++)
            {
                PlexusRuntime.Free([.. left.Partition(next), .. right.Partition(next)]);
            }
        }
    }
}
