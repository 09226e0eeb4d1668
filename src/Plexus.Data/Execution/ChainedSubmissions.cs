using System.Runtime.CompilerServices;
using Plexus.Data.Plan;
using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>
/// Submits the stages whose tasks take other stages' blocks one by one, with no exchange between:
/// a stage after its upstream, a union's parts in turn, and a broadcast join's left side probing the
/// right side's blocks.
/// </summary>
internal sealed class ChainedSubmissions(StageExecutor executor, RunContext run)
{
    /// <summary>
    /// One task per upstream block, submitted with the upstream block's future, so the stages run
    /// block by block. An upstream block is waited for first (its own window running ahead) when the
    /// upstream has a limit, so the rows past it are cut, or runs on actors, whose block is known only
    /// once made: a call whose actor died is sent again and makes its block under another ref.
    /// </summary>
    public async IAsyncEnumerable<SubmittedBlock> SubmitChainedAsync(
        StagePlan stage, StageStats stageStats, UpstreamInput upstream, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (upstream.Upstream.Limit is null && upstream.Upstream.Pool is null)
        {
            await foreach (var submitted in SubmitOverAsync(stage, stageStats, executor.SubmitAsync(upstream.Upstream, upstream.UpstreamOutput(), cancellationToken), 0, output).ConfigureAwait(false))
            {
                yield return submitted;
            }

            yield break;
        }

        await foreach (var block in executor.RunAsync(upstream.Upstream, upstream.UpstreamOutput()).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            SubmittedBlock submitted;
            try
            {
                Operators.Operator[]? operators = block.RowsToTake < block.Meta.TotalRows ? [stage.LimitInput(block.RowsToTake), .. stage.Operators] : null;
                submitted = await TaskSubmitter.SubmitAsync(run, stage, stageStats, block.Index, stage.BlockSource(), block.Blocks[0], output, operators).ConfigureAwait(false);
            }
            catch
            {
                PlexusRuntime.Free([.. block.Blocks]);
                throw;
            }

            submitted.Holds.AddRange(block.Blocks);
            yield return submitted;
        }
    }

    /// <summary>One task per block of each part in turn, numbered on across the parts.</summary>
    public async IAsyncEnumerable<SubmittedBlock> SubmitUnionAsync(
        StagePlan stage, StageStats stageStats, UnionInput union, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        foreach (var part in union.Parts)
        {
            await foreach (var submitted in SubmitOverAsync(stage, stageStats, executor.SubmitAsync(part, union.PartOutput(), cancellationToken), index, output).ConfigureAwait(false))
            {
                index++;
                yield return submitted;
            }
        }
    }

    /// <summary>
    /// Makes the right side's blocks (or takes them as stored), then submits the left stage's own tasks
    /// with the probe and this stage's operators after the left's. Blocks made here are freed once every
    /// task is submitted: each task's reference keeps them until it is done.
    /// </summary>
    public async IAsyncEnumerable<SubmittedBlock> SubmitBroadcastAsync(
        StagePlan stage, StageStats stageStats, BroadcastInput input, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stored = input.Right.StoredAsIs;
        ObjectRef<byte[]>[] right = stored is not null ? [.. stored.Blocks] : await executor.RunToBlocksAsync(input.Right, input.RightOutput(), cancellationToken).ConfigureAwait(false);
        try
        {
            var probing = input.Left with
            {
                Operators = input.Left.Operators.Add(input.Join.BroadcastProbe(right)).AddRange(stage.Operators),
                Options = stage.Options,
            };
            await foreach (var submitted in executor.SubmitAsync(probing, stageStats, output, cancellationToken).ConfigureAwait(false))
            {
                yield return submitted;
            }
        }
        finally
        {
            if (stored is null)
            {
                PlexusRuntime.Free([.. right]);
            }
        }
    }

    /// <summary>
    /// One task per block <paramref name="upstream"/> submits, numbered from <paramref name="firstIndex"/>,
    /// each submitted with its upstream block's future (the upstream has no limit and no actors).
    /// </summary>
    private async IAsyncEnumerable<SubmittedBlock> SubmitOverAsync(
        StagePlan stage, StageStats stageStats, IAsyncEnumerable<SubmittedBlock> upstream, int firstIndex, StageOutput output)
    {
        var index = firstIndex;
        await foreach (var block in upstream.ConfigureAwait(false))
        {
            var submitted = await TaskSubmitter.SubmitAsync(run, stage, stageStats, index++, stage.BlockSource(), block.Blocks[0], output).ConfigureAwait(false);
            submitted.Upstream.Add(block);
            yield return submitted;
        }
    }
}
