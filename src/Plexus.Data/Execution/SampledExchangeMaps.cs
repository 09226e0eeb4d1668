using Plexus.Data.Plan;

namespace Plexus.Data.Execution;

/// <summary>
/// The map side of an exchange that samples its input (a sort): makes the upstream blocks, samples
/// some of them, fixes the partitions from the sample, then cuts every block into runs, freeing each
/// block once cut, with merges pushed while later maps run (<see cref="PushMerges"/>).
/// </summary>
internal sealed class SampledExchangeMaps(StageExecutor executor, RunContext run)
{
    /// <summary>Blocks sampled at most, evenly spaced: enough for boundaries, few enough to wait for.</summary>
    private const int MaxSampledBlocks = 32;

    /// <summary>Returns the exchange with its partitions fixed, and each partition's runs (merged where merges ran).</summary>
    public async Task<(ExchangeRun Exchange, List<ObjectRef<byte[]>[]> Runs)> MapAsync(
        StagePlan stage, ExchangeInput input, SampledExchangeStats stats, CancellationToken cancellationToken)
    {
        var blocks = new List<CompletedBlock>();
        PushMerges? merges = null;
        try
        {
            await foreach (var block in executor.RunAsync(input.Upstream, input.UpstreamOutput()).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                blocks.Add(block);
            }

            var samples = await SampleAsync(stage, input, stats.Sample, blocks, cancellationToken).ConfigureAwait(false);
            var bytes = blocks.Sum(b => b.Meta.TotalBytes);
            var partitions = input.Exchange.Partitions ?? run.Options.ShufflePartitions
                ?? (int)Math.Clamp((bytes + run.Options.TargetBlockBytes - 1) / run.Options.TargetBlockBytes, Math.Max(1, run.Cpus), 4096);
            var exchange = input.Exchange.Prepare(partitions, samples, [.. blocks.Select(b => b.Meta.TotalRows)]);
            var mapPlan = stage with { Operators = [], Options = input.Upstream.Options, Pool = null };
            stats.Map.BlocksTotal = blocks.Count;
            // A merged run of at least MinimumMergedRunBytes: with many partitions, merging the runs of a few maps
            // would make thousands of tiny merge tasks whose overhead outweighs what they save.
            var runBytes = Math.Max(1, bytes / Math.Max(1, blocks.Count) / exchange.Partitions);
            var factor = run.Options.MergeFactor < 2 ? 0 : (int)Math.Max(run.Options.MergeFactor, (run.Options.MinimumMergedRunBytes + runBytes - 1) / runBytes);
            merges = new PushMerges(run, mapPlan, stats.Merge, exchange, factor, blocks.Count);
            await foreach (var map in executor.RunWindowAsync(SubmitEachAsync(mapPlan, stats.Map, blocks, input.UpstreamRows, exchange.MapOutput), stats.Map, null, null, cancellationToken).ConfigureAwait(false))
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

    private async Task<List<Worker.BlockMeta>> SampleAsync(
        StagePlan stage, ExchangeInput input, StageStats sampleStats, List<CompletedBlock> blocks, CancellationToken cancellationToken)
    {
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
        var metas = new List<Worker.BlockMeta>();
        await foreach (var sample in executor.RunWindowAsync(
            SubmitEachAsync(samplePlan, sampleStats, sampled, input.UpstreamRows, input.Exchange.SampleOutput(rowsPerBlock)!), sampleStats, null, null, cancellationToken).ConfigureAwait(false))
        {
            metas.Add(sample.Meta);
            PlexusRuntime.Free([.. sample.Blocks]);
        }

        return metas;
    }

    /// <summary>One task per block of <paramref name="blocks"/>, reading it with a fresh source and no operators.</summary>
    private async IAsyncEnumerable<SubmittedBlock> SubmitEachAsync(
        StagePlan plan, StageStats stageStats, List<CompletedBlock> blocks, Func<Worker.StageSource> rows, Worker.StageOutput output)
    {
        foreach (var block in blocks)
        {
            yield return await TaskSubmitter.SubmitAsync(run, plan, stageStats, block.Index, rows(), block.Blocks[0], output, []).ConfigureAwait(false);
        }
    }
}
