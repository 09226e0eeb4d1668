using Plexus.Data.Plan;

namespace Plexus.Data.Execution;

/// <summary>
/// The push-based, pipelined merge of an exchange's runs (as in Exoshuffle): every
/// <c>factor</c> maps that finish, one merge task per partition merges their runs of it into one,
/// while later maps still run. Each reduce then reads a few merged runs instead of one run per map,
/// and the runs merged are freed as soon as their merge is done.
/// </summary>
/// <remarks>
/// A group that fills only with the last of the <c>maps</c> is left to the reduces: no map is left
/// for its merge to overlap, and the reduces merging its runs with the merged ones do in one pass
/// what the merge and then the reduces would do in two.
/// </remarks>
internal sealed class PushMerges(RunContext run, StagePlan plan, StageStats stats, ExchangeRun exchange, int factor, int maps)
{
    private readonly List<ObjectRef<byte[]>[]> waiting = [];
    private readonly List<SubmittedBlock[]> merging = [];
    private int submitted;

    // The maps whose runs were added so far.
    private int finished;

    /// <summary>Takes a finished map's runs, one per partition; merges a group once <c>factor</c> are waiting, unless it was the last map.</summary>
    public async ValueTask AddAsync(ObjectRef<byte[]>[] runs)
    {
        waiting.Add(runs);
        finished++;
        if (factor < 2 || waiting.Count < factor || finished == maps || exchange.MergeOutput is not { } output)
        {
            return;
        }

        var group = new SubmittedBlock[exchange.Partitions];
        for (var r = 0; r < group.Length; r++)
        {
            var inputs = waiting.Select(w => w[r]).ToArray();
            group[r] = await TaskSubmitter.SubmitAsync(run, plan, stats, submitted++, exchange.MergeSource(r, inputs), null, output, []).ConfigureAwait(false);
            group[r].Holds.AddRange(inputs);
        }

        stats.BlocksTotal = submitted;
        merging.Add(group);
        waiting.Clear();
    }

    /// <summary>Waits for the merges; the runs each reduce reads: every merged group, then the maps' runs not merged.</summary>
    public async Task<List<ObjectRef<byte[]>[]>> FinishAsync(CancellationToken cancellationToken)
    {
        var runs = new List<ObjectRef<byte[]>[]>();
        foreach (var group in merging)
        {
            foreach (var merge in group)
            {
                await merge.CompleteAsync(cancellationToken).ConfigureAwait(false);
                PlexusRuntime.Free([merge.Meta!]);
            }

            runs.Add([.. group.Select(m => m.Blocks[0])]);
        }

        merging.Clear();
        runs.AddRange(waiting);
        waiting.Clear();
        stats.Done();
        return runs;
    }

    /// <summary>Stops the merges in flight and frees every run held (the run failed).</summary>
    public void Abandon()
    {
        foreach (var merge in merging.SelectMany(g => g))
        {
            merge.Cancel(run.Plexus);
        }

        PlexusRuntime.Free([.. waiting.SelectMany(w => w)]);
        merging.Clear();
        waiting.Clear();
    }
}
