using System.Runtime.CompilerServices;
using Plexus.Data.Plan;
using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>
/// Runs a plan's stages as a stream of blocks. Tasks are submitted in block order as the consumer
/// pulls, each stage keeping at most <see cref="RunContext.Window"/> tasks in flight: when the
/// consumer stops pulling, nothing more is submitted upstream (backpressure), and what is in flight
/// when it stops is cancelled. A downstream task is submitted with its upstream block's future, so a
/// chain of stages runs block by block without waiting for whole stages.
/// </summary>
internal sealed class StageExecutor(RunContext run)
{
    private readonly Dictionary<StagePlan, StageStats> stats = new(ReferenceEqualityComparer.Instance);
    // Keyed by the exchange's input rather than its stage, which a broadcast join runs as another plan with more operators.
    private readonly Dictionary<ExchangeInput, (StageStats Sample, StageStats Map, StageStats Merge)> sortStats = new(ReferenceEqualityComparer.Instance);

    /// <summary>Runs <paramref name="stage"/> with <paramref name="output"/>; yields its blocks in order.</summary>
    public IAsyncEnumerable<CompletedBlock> RunAsync(StagePlan stage, StageOutput output)
    {
        Register(stage);
        return RunWindowAsync(SubmitAsync(stage, output, run.CancellationToken), stats[stage], stage.Pool, stage.Limit, run.CancellationToken);
    }

    /// <summary>Counts stages sources first, so progress lists them in the order data flows.</summary>
    private void Register(StagePlan stage)
    {
        if (stats.ContainsKey(stage))
        {
            return;
        }

        RegisterInputsOf(stage);
        stats[stage] = run.AddStage(stage.Name);
    }

    private void RegisterInputsOf(StagePlan stage)
    {
        switch (stage.Input)
        {
            case UpstreamInput upstream:
                Register(upstream.Upstream);
                break;
            case JoinInput join:
                Register(join.Left);
                Register(join.Right);
                break;
            case BroadcastInput broadcast:
                if (broadcast.Right.StoredAsIs is null)
                {
                    Register(broadcast.Right);
                }

                // The left stage's tasks are this stage's: only what feeds them is a stage of its own.
                RegisterInputsOf(broadcast.Left);
                break;
            case UnionInput union:
                foreach (var part in union.Parts)
                {
                    Register(part);
                }

                break;
            case ExchangeInput exchange:
                Register(exchange.Upstream);
                if (exchange.Exchange.MaterializesInput && !sortStats.ContainsKey(exchange))
                {
                    sortStats[exchange] = (run.AddStage($"sample {exchange.Exchange.Name}"), run.AddStage($"map {exchange.Exchange.Name}"), run.AddStage($"merge {exchange.Exchange.Name}"));
                }

                break;
        }
    }

    private async IAsyncEnumerable<CompletedBlock> RunWindowAsync(
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

    private IAsyncEnumerable<SubmittedBlock> SubmitAsync(StagePlan stage, StageOutput output, CancellationToken cancellationToken) =>
        SubmitAsync(stage, stats[stage], output, cancellationToken);

    /// <summary>Submits <paramref name="stage"/>'s tasks, counted in <paramref name="stageStats"/> (another stage's, when a broadcast join runs its probe in them).</summary>
    private async IAsyncEnumerable<SubmittedBlock> SubmitAsync(StagePlan stage, StageStats stageStats, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        switch (stage.Input)
        {
            case SourceInput source:
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

                break;
            case StoredInput stored:
                stageStats.BlocksTotal = stored.Blocks.Count;
                for (var i = 0; i < stored.Blocks.Count; i++)
                {
                    yield return await TaskSubmitter.SubmitAsync(run, stage, stageStats, i, stage.BlockSource(), stored.Blocks[i], output).ConfigureAwait(false);
                }

                break;
            case UpstreamInput upstream:
                await foreach (var submitted in SubmitChainedAsync(stage, stageStats, upstream, output, cancellationToken).ConfigureAwait(false))
                {
                    yield return submitted;
                }

                break;
            case ExchangeInput exchange:
                await foreach (var submitted in SubmitReducesAsync(stage, stageStats, exchange, output, cancellationToken).ConfigureAwait(false))
                {
                    yield return submitted;
                }

                break;
            case JoinInput join:
                await foreach (var submitted in SubmitJoinsAsync(stage, stageStats, join, output, cancellationToken).ConfigureAwait(false))
                {
                    yield return submitted;
                }

                break;
            case BroadcastInput broadcast:
                await foreach (var submitted in SubmitBroadcastAsync(stage, stageStats, broadcast, output, cancellationToken).ConfigureAwait(false))
                {
                    yield return submitted;
                }

                break;
            case UnionInput union:
                var index = 0;
                foreach (var part in union.Parts)
                {
                    await foreach (var submitted in SubmitOverAsync(stage, stageStats, SubmitAsync(part, union.PartOutput(), cancellationToken), index, output).ConfigureAwait(false))
                    {
                        index++;
                        yield return submitted;
                    }
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown stage input {stage.Input}.");
        }
    }

    /// <summary>
    /// One task per upstream block, submitted with the upstream block's future, so the stages run
    /// block by block. An upstream block is waited for first (its own window running ahead) when the
    /// upstream has a limit, so the rows past it are cut, or runs on actors, whose block is known only
    /// once made: a call whose actor died is sent again and makes its block under another ref.
    /// </summary>
    private async IAsyncEnumerable<SubmittedBlock> SubmitChainedAsync(
        StagePlan stage, StageStats stageStats, UpstreamInput upstream, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (upstream.Upstream.Limit is null && upstream.Upstream.Pool is null)
        {
            await foreach (var submitted in SubmitOverAsync(stage, stageStats, SubmitAsync(upstream.Upstream, upstream.UpstreamOutput(), cancellationToken), 0, output).ConfigureAwait(false))
            {
                yield return submitted;
            }

            yield break;
        }

        await foreach (var block in RunAsync(upstream.Upstream, upstream.UpstreamOutput()).WithCancellation(cancellationToken).ConfigureAwait(false))
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

    /// <summary>
    /// Makes the right side's blocks (or takes them as stored), then submits the left stage's own tasks
    /// with the probe and this stage's operators after the left's. Blocks made here are freed once every
    /// task is submitted: each task's reference keeps them until it is done.
    /// </summary>
    private async IAsyncEnumerable<SubmittedBlock> SubmitBroadcastAsync(
        StagePlan stage, StageStats stageStats, BroadcastInput input, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stored = input.Right.StoredAsIs;
        ObjectRef<byte[]>[] right = stored is not null ? [.. stored.Blocks] : await RunToBlocksAsync(input.Right, input.RightOutput(), cancellationToken).ConfigureAwait(false);
        try
        {
            var probing = input.Left with
            {
                Operators = input.Left.Operators.Add(input.Join.BroadcastProbe(right)).AddRange(stage.Operators),
                Options = stage.Options,
            };
            await foreach (var submitted in SubmitAsync(probing, stageStats, output, cancellationToken).ConfigureAwait(false))
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

    /// <summary>Runs <paramref name="stage"/> to the end, keeping its blocks.</summary>
    private async Task<ObjectRef<byte[]>[]> RunToBlocksAsync(StagePlan stage, StageOutput output, CancellationToken cancellationToken)
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

    /// <summary>Runs the exchange's map side to the end (a reduce needs every map's partition), then submits the reduces in partition order.</summary>
    private async IAsyncEnumerable<SubmittedBlock> SubmitReducesAsync(
        StagePlan stage, StageStats stageStats, ExchangeInput input, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (exchange, runs) = input.Exchange.MaterializesInput
            ? await MapSampledAsync(stage, input, cancellationToken).ConfigureAwait(false)
            : await MapAsync(input, cancellationToken).ConfigureAwait(false);
        stageStats.BlocksTotal = exchange.Partitions;
        var next = 0;
        try
        {
            for (; next < exchange.Partitions; next++)
            {
                var partition = runs.Select(r => r[next]).ToArray();
                var submitted = await TaskSubmitter.SubmitAsync(run, stage, stageStats, next, exchange.ReduceSource(next, partition), null, output).ConfigureAwait(false);
                submitted.Holds.AddRange(partition);
                yield return submitted;
            }
        }
        finally
        {
            // Partitions of reduces never submitted (a limit was reached, or the run failed).
            for (; next < exchange.Partitions; next++)
            {
                PlexusRuntime.Free([.. runs.Select(r => r[next])]);
            }
        }
    }

    private async Task<(ExchangeRun Exchange, List<ObjectRef<byte[]>[]> Runs)> MapAsync(ExchangeInput input, CancellationToken cancellationToken)
    {
        var exchange = input.Exchange.Prepare(input.Exchange.Partitions ?? DefaultPartitions, [], []);
        return (exchange, (await MapToRunsAsync(input.Upstream, exchange.MapOutput, cancellationToken).ConfigureAwait(false)).Runs);
    }

    private int DefaultPartitions => run.Options.ShufflePartitions ?? Math.Max(2, 2 * run.Cpus);

    /// <summary>Runs <paramref name="upstream"/> with an exchange's map output; every map's runs, their bytes, and what the maps reported besides.</summary>
    private async Task<MappedRuns> MapToRunsAsync(StagePlan upstream, StageOutput mapOutput, CancellationToken cancellationToken)
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
            PlexusRuntime.Free([.. mapped.Runs.SelectMany(r => r)]);
            throw;
        }

        return mapped;
    }

    /// <summary>Maps both sides of a join, then submits one reduce per partition, building on the side with fewer bytes.</summary>
    private async IAsyncEnumerable<SubmittedBlock> SubmitJoinsAsync(
        StagePlan stage, StageStats stageStats, JoinInput input, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partitions = DefaultPartitions;
        var left = await MapToRunsAsync(input.Left, input.Join.LeftMapOutput(partitions), cancellationToken).ConfigureAwait(false);
        MappedRuns right;
        try
        {
            right = await MapToRunsAsync(input.Right, input.Join.RightMapOutput(partitions, left.Reports), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            PlexusRuntime.Free([.. left.Runs.SelectMany(r => r)]);
            throw;
        }

        stageStats.BlocksTotal = partitions;
        var next = 0;
        try
        {
            for (; next < partitions; next++)
            {
                var leftPartition = left.Runs.Select(r => r[next]).ToArray();
                var rightPartition = right.Runs.Select(r => r[next]).ToArray();
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
                PlexusRuntime.Free([.. left.Runs.Select(r => r[next]), .. right.Runs.Select(r => r[next])]);
            }
        }
    }

    /// <summary>
    /// For exchanges that sample (sorts): makes the upstream blocks, samples some of them, fixes the
    /// partitions from the sample, then cuts every block into runs, freeing each block once cut.
    /// </summary>
    private async Task<(ExchangeRun Exchange, List<ObjectRef<byte[]>[]> Runs)> MapSampledAsync(StagePlan stage, ExchangeInput input, CancellationToken cancellationToken)
    {
        var (sampleStats, mapStats, mergeStats) = sortStats[input];
        var blocks = new List<CompletedBlock>();
        PushMerges? merges = null;
        try
        {
            await foreach (var block in RunAsync(input.Upstream, input.UpstreamOutput()).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                blocks.Add(block);
            }

            var samples = await SampleAsync(stage, input, sampleStats, blocks, cancellationToken).ConfigureAwait(false);
            var bytes = blocks.Sum(b => b.Meta.TotalBytes);
            var partitions = input.Exchange.Partitions ?? run.Options.ShufflePartitions
                ?? (int)Math.Clamp((bytes + run.Options.TargetBlockBytes - 1) / run.Options.TargetBlockBytes, Math.Max(1, run.Cpus), 4096);
            var exchange = input.Exchange.Prepare(partitions, samples, [.. blocks.Select(b => b.Meta.TotalRows)]);
            var mapPlan = stage with { Operators = [], Options = input.Upstream.Options, Pool = null };
            mapStats.BlocksTotal = blocks.Count;
            // A merged run of at least MinimumMergedRunBytes: with many partitions, merging the runs of a few maps
            // would make thousands of tiny merge tasks whose overhead outweighs what they save.
            var runBytes = Math.Max(1, bytes / Math.Max(1, blocks.Count) / exchange.Partitions);
            var factor = run.Options.MergeFactor < 2 ? 0 : (int)Math.Max(run.Options.MergeFactor, (run.Options.MinimumMergedRunBytes + runBytes - 1) / runBytes);
            merges = new PushMerges(run, mapPlan, mergeStats, exchange, factor, blocks.Count);
            await foreach (var map in RunWindowAsync(SubmitEachAsync(mapPlan, mapStats, blocks, input.UpstreamRows, exchange.MapOutput), mapStats, null, null, cancellationToken).ConfigureAwait(false))
            {
                PlexusRuntime.Free([.. blocks[map.Index].Blocks]);
                await merges.AddAsync(map.Blocks).ConfigureAwait(false);
            }

            return (exchange, await merges.FinishAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            merges?.Abandon();
            throw;
        }
        finally
        {
            PlexusRuntime.Free([.. blocks.SelectMany(b => b.Blocks)]);
        }
    }

    private async Task<List<BlockMeta>> SampleAsync(
        StagePlan stage, ExchangeInput input, StageStats sampleStats, List<CompletedBlock> blocks, CancellationToken cancellationToken)
    {
        const int MaxSampledBlocks = 32;
        if (input.Exchange.SampleOutput(1) is null)
        {
            sampleStats.Done();
            return [];
        }

        var sampled = blocks.Count <= MaxSampledBlocks
            ? blocks
            : [.. Enumerable.Range(0, MaxSampledBlocks).Select(i => blocks[(int)((long)i * blocks.Count / MaxSampledBlocks)])];
        var rowsPerBlock = Math.Max(16, 20 * Math.Max(1, run.Cpus) * 16 / Math.Max(1, sampled.Count));
        var samplePlan = stage with { Operators = [], Options = input.Upstream.Options, Pool = null };
        sampleStats.BlocksTotal = sampled.Count;
        var metas = new List<BlockMeta>();
        await foreach (var sample in RunWindowAsync(
            SubmitEachAsync(samplePlan, sampleStats, sampled, input.UpstreamRows, input.Exchange.SampleOutput(rowsPerBlock)!), sampleStats, null, null, cancellationToken).ConfigureAwait(false))
        {
            metas.Add(sample.Meta);
            PlexusRuntime.Free([.. sample.Blocks]);
        }

        return metas;
    }

    /// <summary>One task per block of <paramref name="blocks"/>, reading it with a fresh source and no operators.</summary>
    private async IAsyncEnumerable<SubmittedBlock> SubmitEachAsync(
        StagePlan plan, StageStats stageStats, List<CompletedBlock> blocks, Func<StageSource> rows, StageOutput output)
    {
        foreach (var block in blocks)
        {
            yield return await TaskSubmitter.SubmitAsync(run, plan, stageStats, block.Index, rows(), block.Blocks[0], output, []).ConfigureAwait(false);
        }
    }

    /// <summary>An exchange's map side, done: each map's runs (one per partition), their bytes, and the maps' reports (a join's hot keys).</summary>
    private sealed class MappedRuns
    {
        public List<ObjectRef<byte[]>[]> Runs { get; } = [];

        public long Bytes { get; set; }

        public List<byte[]> Reports { get; } = [];
    }
}
