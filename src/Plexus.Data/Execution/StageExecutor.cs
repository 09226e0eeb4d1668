using System.Runtime.CompilerServices;
using Plexus.Data.Plan;
using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>
/// Runs a plan's stages as a stream of blocks. Tasks are submitted in block order as the consumer
/// pulls, each stage keeping at most <see cref="RunContext.Window"/> tasks in flight: when the
/// consumer stops pulling, nothing more is submitted upstream (backpressure), and what is in flight
/// when it stops is cancelled. A downstream task is submitted with its upstream block's future, so a
/// chain of stages runs block by block without waiting for whole stages. How each kind of input is
/// submitted lives beside it: <see cref="ChainedSubmissions"/>, <see cref="ExchangeSubmissions"/>,
/// <see cref="SampledExchangeMaps"/>, <see cref="JoinSubmissions"/>.
/// </summary>
internal sealed class StageExecutor
{
    private readonly RunContext run;
    private readonly StageRegistry stages;
    private readonly ChainedSubmissions chained;
    private readonly ExchangeSubmissions exchanges;
    private readonly JoinSubmissions joins;

    public StageExecutor(RunContext run)
    {
        this.run = run;
        stages = new StageRegistry(run);
        chained = new ChainedSubmissions(this, run);
        exchanges = new ExchangeSubmissions(this, run, stages);
        joins = new JoinSubmissions(this, run);
    }

    /// <summary>Runs <paramref name="stage"/> with <paramref name="output"/>; yields its blocks in order.</summary>
    public IAsyncEnumerable<CompletedBlock> RunAsync(StagePlan stage, StageOutput output)
    {
        stages.Register(stage);
        return RunWindowAsync(SubmitAsync(stage, output, run.CancellationToken), stages[stage], stage.Pool, stage.Limit, run.CancellationToken);
    }

    /// <summary>Runs <paramref name="stage"/> to the end, keeping its blocks.</summary>
    public async Task<ObjectRef<byte[]>[]> RunToBlocksAsync(StagePlan stage, StageOutput output, CancellationToken cancellationToken)
    {
        var blocks = new List<ObjectRef<byte[]>>();
        try
        {
            await foreach (var block in RunAsync(stage, output).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                blocks.Add(block.Blocks[0]);
            }
        }
        catch
        {
            PlexusRuntime.Free([.. blocks]);
            throw;
        }

        return [.. blocks];
    }

    /// <summary>Runs <paramref name="upstream"/> with an exchange's map output; every map's runs, their bytes, and what the maps reported besides.</summary>
    public async Task<MappedRuns> MapToRunsAsync(StagePlan upstream, StageOutput mapOutput, CancellationToken cancellationToken)
    {
        var mapped = new MappedRuns();
        try
        {
            await foreach (var map in RunAsync(upstream, mapOutput).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                mapped.Runs.Add(map.Blocks);
                mapped.Bytes += map.Meta.TotalBytes;
                if (map.Meta.Extra is { } extra)
                {
                    mapped.Reports.Add(extra);
                }
            }
        }
        catch
        {
            mapped.Free();
            throw;
        }

        return mapped;
    }

    /// <summary>
    /// Keeps up to the stage's window of <paramref name="submissions"/> in flight and yields each as it
    /// completes, in order, until <paramref name="limit"/> rows have passed; what is still in flight when
    /// the consumer stops is cancelled and freed.
    /// </summary>
    public async IAsyncEnumerable<CompletedBlock> RunWindowAsync(
        IAsyncEnumerable<SubmittedBlock> submissions, StageStats stage, Actors.ActorPoolSpec? pool, long? limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var inFlight = new Queue<SubmittedBlock>();
        var remaining = limit ?? long.MaxValue;
        var source = submissions.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (remaining > 0)
            {
                while (inFlight.Count < run.Window(stage, pool) && await source.MoveNextAsync().ConfigureAwait(false))
                {
                    inFlight.Enqueue(source.Current);
                }

                if (!inFlight.TryDequeue(out var head))
                {
                    break;
                }

                var meta = await head.CompleteAsync(cancellationToken).ConfigureAwait(false);
                run.ReportProgress();
                var take = Math.Min(meta.TotalRows, remaining);
                if (limit is not null)
                {
                    remaining -= take;
                }

                if (head.Meta is not null)
                {
                    PlexusRuntime.Free([head.Meta]);
                }

                yield return new CompletedBlock(head.Index, head.Blocks, meta, take);
            }
        }
        finally
        {
            while (inFlight.TryDequeue(out var abandoned))
            {
                abandoned.Cancel(run.Plexus);
            }

            await source.DisposeAsync().ConfigureAwait(false);
            stage.Done();
        }
    }

    /// <summary>Submits <paramref name="stage"/>'s tasks, counted as its own.</summary>
    public IAsyncEnumerable<SubmittedBlock> SubmitAsync(StagePlan stage, StageOutput output, CancellationToken cancellationToken) =>
        SubmitAsync(stage, stages[stage], output, cancellationToken);

    /// <summary>Submits <paramref name="stage"/>'s tasks, counted in <paramref name="stageStats"/> (another stage's, when a broadcast join runs its probe in them).</summary>
    public async IAsyncEnumerable<SubmittedBlock> SubmitAsync(StagePlan stage, StageStats stageStats, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var submissions = stage.Input switch
        {
            SourceInput source => SubmitSplitsAsync(stage, stageStats, source, output, cancellationToken),
            StoredInput stored => SubmitStoredAsync(stage, stageStats, stored, output),
            UpstreamInput upstream => chained.SubmitChainedAsync(stage, stageStats, upstream, output, cancellationToken),
            ExchangeInput exchange => exchanges.SubmitReducesAsync(stage, stageStats, exchange, output, cancellationToken),
            JoinInput join => joins.SubmitJoinsAsync(stage, stageStats, join, output, cancellationToken),
            BroadcastInput broadcast => chained.SubmitBroadcastAsync(stage, stageStats, broadcast, output, cancellationToken),
            UnionInput union => chained.SubmitUnionAsync(stage, stageStats, union, output, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown stage input {stage.Input}."),
        };
        await foreach (var submitted in submissions.ConfigureAwait(false))
        {
            yield return submitted;
        }
    }

    private async IAsyncEnumerable<SubmittedBlock> SubmitSplitsAsync(
        StagePlan stage, StageStats stageStats, SourceInput source, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var splits = await source.Splits(run, cancellationToken).ConfigureAwait(false);
        await using (splits.ConfigureAwait(false))
        {
            stageStats.BlocksTotal = splits.Count;
            for (var i = 0; i < splits.Count; i++)
            {
                var split = await splits.TakeAsync(i, cancellationToken).ConfigureAwait(false);
                yield return await TaskSubmitter.SubmitAsync(run, stage, stageStats, i, split, null, output).ConfigureAwait(false);
            }
        }
    }

    private async IAsyncEnumerable<SubmittedBlock> SubmitStoredAsync(StagePlan stage, StageStats stageStats, StoredInput stored, StageOutput output)
    {
        stageStats.BlocksTotal = stored.Blocks.Count;
        for (var i = 0; i < stored.Blocks.Count; i++)
        {
            yield return await TaskSubmitter.SubmitAsync(run, stage, stageStats, i, stage.BlockSource(), stored.Blocks[i], output).ConfigureAwait(false);
        }
    }
}
