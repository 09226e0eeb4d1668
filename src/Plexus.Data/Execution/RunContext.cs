using System.Diagnostics;

namespace Plexus.Data.Execution;

/// <summary>One run of a dataset on the driver: the cluster's size, the options, and every stage's counters.</summary>
internal sealed class RunContext
{
    private readonly List<StageStats> stages = [];
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly Dictionary<Plan.StagePlan, Actors.ActorPool> pools = new(ReferenceEqualityComparer.Instance);
    private long lastReport;

    private RunContext(PlexusRuntime plexus, DataOptions options, IReadOnlyList<ClusterNodeInfo> nodes, int cpus, long storeBytes, CancellationToken cancellationToken)
    {
        Nodes = nodes;
        Plexus = plexus;
        Options = options;
        Cpus = cpus;
        StoreBytes = storeBytes;
        CancellationToken = cancellationToken;
        RunId = Guid.NewGuid().ToString("N")[..12];
    }

    public PlexusRuntime Plexus { get; }

    /// <summary>The nodes that run tasks, as the run found them when it started.</summary>
    public IReadOnlyList<ClusterNodeInfo> Nodes { get; }

    public DataOptions Options { get; }

    /// <summary>CPUs of the nodes that run tasks.</summary>
    public int Cpus { get; }

    /// <summary>The object store capacity of those nodes together.</summary>
    public long StoreBytes { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Names this run's temporary files apart from another run's.</summary>
    public string RunId { get; }

    public static async Task<RunContext> StartAsync(PlexusRuntime plexus, DataOptions options, CancellationToken cancellationToken)
    {
        var nodes = await plexus.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        var cpus = (int)Math.Max(1, nodes.Sum(n => n.Resources.GetValueOrDefault("CPU")));
        var store = (long)nodes.Sum(n => n.Resources.GetValueOrDefault("object_store_memory"));
        return new RunContext(plexus, options, nodes, cpus, store > 0 ? store : 1L << 30, cancellationToken);
    }

    /// <summary>The actor pool of a stateful stage, started with the stage's first block.</summary>
    public Actors.ActorPool PoolOf(Plan.StagePlan stage)
    {
        if (!pools.TryGetValue(stage, out var pool))
        {
            pool = new Actors.ActorPool(Plexus, stage.Pool ?? throw new InvalidOperationException($"Stage {stage.Name} runs no actors."));
            pools[stage] = pool;
        }

        return pool;
    }

    /// <summary>R for a hash exchange that names none: the option, else twice the CPUs (at least 2).</summary>
    public int ShufflePartitions => Options.ShufflePartitions ?? Math.Max(2, 2 * Cpus);

    public StageStats AddStage(string name)
    {
        var stage = new StageStats(stages.Count, name);
        stages.Add(stage);
        return stage;
    }

    /// <summary>The most tasks a stage may have in flight, before the memory budget: the option, or twice the CPUs.</summary>
    public int MaxTasksInFlight => Options.MaxTasksInFlight ?? 2 * Cpus;

    /// <summary>
    /// Tasks a stage may have in flight: the option's cap (twice the CPUs by default), fewer when
    /// their expected output would pass the memory budget. Never less than one.
    /// </summary>
    public int Window(StageStats stage, Actors.ActorPoolSpec? pool = null)
    {
        var cap = pool is null ? MaxTasksInFlight : pool.Size.Max * Actors.ActorPoolSpec.CallsPerActor;
        var budget = (long)(Options.MemoryFraction * StoreBytes);
        var perTask = Math.Max(1, stage.AverageBlockBytes ?? Options.TargetBlockBytes);
        return (int)Math.Clamp(budget / perTask, 1, Math.Max(1, cap));
    }

    /// <summary>Reports progress when the interval has passed since the last report.</summary>
    public void ReportProgress()
    {
        if (Options.Progress is null)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (lastReport != 0 && Stopwatch.GetElapsedTime(lastReport, now) < Options.ProgressInterval)
        {
            return;
        }

        lastReport = now;
        Options.Progress.Report(new DataProgress([.. stages.Select(s => s.ToProgress())], Stopwatch.GetElapsedTime(started), null));
    }

    /// <summary>Ends the run: every stage is done, and the last report carries the summary.</summary>
    public RunSummary Finish()
    {
        foreach (var pool in pools.Values)
        {
            pool.Dispose();
        }

        pools.Clear();
        foreach (var stage in stages)
        {
            stage.Done();
        }

        var summary = new RunSummary([.. stages.Select(s => s.ToSummary())], Stopwatch.GetElapsedTime(started));
        Options.Progress?.Report(new DataProgress([.. stages.Select(s => s.ToProgress())], summary.Elapsed, summary));
        return summary;
    }
}
