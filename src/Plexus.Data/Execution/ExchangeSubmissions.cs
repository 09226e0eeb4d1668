using System.Runtime.CompilerServices;
using Plexus.Data.Plan;
using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>
/// Submits an exchange's reduces: its map side is run to the end first (a reduce needs every map's
/// partition), straight over the upstream's blocks, or through a sample first for exchanges that
/// sample (<see cref="SampledExchangeMaps"/>); then one reduce per partition, in partition order.
/// </summary>
internal sealed class ExchangeSubmissions(StageExecutor executor, RunContext run, StageRegistry stages)
{
    private readonly SampledExchangeMaps sampled = new(executor, run);

    public async IAsyncEnumerable<SubmittedBlock> SubmitReducesAsync(
        StagePlan stage, StageStats stageStats, ExchangeInput input, StageOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (exchange, runs) = input.Exchange.MaterializesInput
            ? await sampled.MapAsync(stage, input, stages.SampledStatsOf(input), cancellationToken).ConfigureAwait(false)
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
        var exchange = input.Exchange.Prepare(input.Exchange.Partitions ?? run.ShufflePartitions, [], []);
        return (exchange, (await executor.MapToRunsAsync(input.Upstream, exchange.MapOutput, cancellationToken).ConfigureAwait(false)).Runs);
    }
}
