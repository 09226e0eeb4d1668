using System.Runtime.CompilerServices;
using Plexus.Data.Exchanges;
using Plexus.Data.Plan;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>
/// Submits a hashed join: both sides mapped into the same partitions (each map spreading the keys hot
/// in its block), the hot keys settled on one side each, then one reduce per partition, reading its
/// partition of each side and the partitions holding rows it copies.
/// </summary>
internal sealed class JoinSubmissions(StageExecutor executor, RunContext run)
{
    /// <summary>Maps both sides of a join, then submits one reduce per partition, building on the side with fewer bytes.</summary>
    public async IAsyncEnumerable<SubmittedBlock> SubmitJoinsAsync(
        StagePlan stage, StageStats stageStats, JoinInput input, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partitions = run.ShufflePartitions;
        var left = await executor.MapToRunsAsync(input.Left, input.Join.MapOutput(JoinSide.Left, partitions), cancellationToken).ConfigureAwait(false);
        MappedRuns right;
        try
        {
            right = await executor.MapToRunsAsync(input.Right, input.Join.MapOutput(JoinSide.Right, partitions), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            left.Free();
            throw;
        }

        var skew = input.Join.SettleSkew(partitions, left.Reports, right.Reports);
        var leftReads = ReadsOf(skew, JoinSide.Left);
        var rightReads = ReadsOf(skew, JoinSide.Right);
        var holds = Enumerable.Range(0, partitions).Select(_ => new List<IDisposable>()).ToArray();
        Share(left, leftReads, holds);
        Share(right, rightReads, holds);
        stageStats.BlocksTotal = partitions;
        var next = 0;
        try
        {
            for (; next < partitions; next++)
            {
                var source = input.Join.ReduceSource(next, skew, RunsOf(left, leftReads[next]), RunsOf(right, rightReads[next]), buildOnLeft: left.Bytes < right.Bytes);
                var submitted = await TaskSubmitter.SubmitAsync(run, stage, stageStats, next, source, null, output).ConfigureAwait(false);
                submitted.Holds.AddRange(holds[next]);
                yield return submitted;
            }
        }
        finally
        {
            // The shares of reduces never submitted (a limit was reached, or the run failed).
            for (; next < partitions; next++)
            {
                holds[next].ForEach(h => h.Dispose());
            }
        }
    }

    /// <summary>For each reduce, the partitions of <paramref name="side"/> it reads.</summary>
    private static int[][] ReadsOf(JoinSkew skew, JoinSide side) =>
        [.. Enumerable.Range(0, skew.Partitions).Select(p => skew.PartitionsRead(side, p))];

    /// <summary>Gives each partition's runs to the reduces that read them, freed when the last of them is done.</summary>
    private static void Share(MappedRuns mapped, int[][] reads, List<IDisposable>[] holds)
    {
        var readers = new List<int>[reads.Length];
        for (var p = 0; p < reads.Length; p++)
        {
            foreach (var q in reads[p])
            {
                (readers[q] ??= []).Add(p);
            }
        }

        for (var q = 0; q < readers.Length; q++)
        {
            var shared = new SharedRuns([.. mapped.Partition(q)], readers[q].Count);
            readers[q].ForEach(p => holds[p].Add(shared));
        }
    }

    private static JoinRuns RunsOf(MappedRuns mapped, int[] partitions) =>
        new([.. partitions.SelectMany(mapped.Partition)], [.. partitions.SelectMany(q => Enumerable.Repeat(q, mapped.Runs.Count))]);
}
