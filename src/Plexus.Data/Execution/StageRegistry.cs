using Plexus.Data.Plan;

namespace Plexus.Data.Execution;

/// <summary>
/// The counters of a run's stages, added sources first so progress lists stages in the order data
/// flows. A sort adds three of its own (sample, map, merge) besides its reduce stage.
/// </summary>
internal sealed class StageRegistry(RunContext run)
{
    // Each stage's counters, added once however many times the plan reaches it.
    private readonly Dictionary<StagePlan, StageStats> stats = new(ReferenceEqualityComparer.Instance);

    // Keyed by the exchange's input rather than its stage, which a broadcast join runs as another plan with more operators.
    private readonly Dictionary<ExchangeInput, SampledExchangeStats> sampledStats = new(ReferenceEqualityComparer.Instance);

    public StageStats this[StagePlan stage] => stats[stage];

    /// <summary>The sample, map and merge counters of an exchange that samples its input (a sort).</summary>
    public SampledExchangeStats SampledStatsOf(ExchangeInput exchange) => sampledStats[exchange];

    /// <summary>Adds <paramref name="stage"/>'s counters after those of every stage feeding it, unless it has them.</summary>
    public void Register(StagePlan stage)
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
                if (exchange.Exchange.MaterializesInput && !sampledStats.ContainsKey(exchange))
                {
                    sampledStats[exchange] = new SampledExchangeStats(
                        run.AddStage($"sample {exchange.Exchange.Name}"), run.AddStage($"map {exchange.Exchange.Name}"), run.AddStage($"merge {exchange.Exchange.Name}"));
                }

                break;
        }
    }
}

/// <summary>The counters of a sampling exchange's steps before its reduces.</summary>
internal sealed record SampledExchangeStats(StageStats Sample, StageStats Map, StageStats Merge);
