namespace Plexus.Data;

/// <summary>How a <see cref="DataContext"/> runs its datasets.</summary>
public sealed record DataOptions
{
    /// <summary>The size blocks are cut to, where the source decides (ranges, generators, files). Default: 32 MiB.</summary>
    public long TargetBlockBytes { get; init; } = 32L << 20;

    /// <summary>
    /// The share of the cluster's object store that blocks in flight may take (the memory budget):
    /// the executor launches no more tasks than their expected output fits in. Default: 0.5.
    /// </summary>
    public double MemoryFraction { get; init; } = 0.5;

    /// <summary>Tasks in flight per stage at most. Default: twice the cluster's CPUs.</summary>
    public int? MaxTasksInFlight { get; init; }

    /// <summary>Partitions of all-to-all operations (sorts, group-bys, joins, shuffles). Default: from the data's size, at least the cluster's CPUs.</summary>
    public int? ShufflePartitions { get; init; }

    /// <summary>
    /// A join with <see cref="JoinStrategy.Auto"/> broadcasts its right side when that side's size is
    /// known without running it (items from the driver, a materialized dataset) and is at most this
    /// many bytes: every left task then holds a table of it, and the left side is not shuffled.
    /// 0 never broadcasts automatically. Default: 10 MiB.
    /// </summary>
    public long BroadcastJoinThresholdBytes { get; init; } = 10L << 20;

    /// <summary>
    /// Sorts merge the runs of every this many finished map tasks, partition by partition, while
    /// later maps still run, so each reduce reads a few merged runs; more maps per merge when their
    /// runs are small, so a merged run holds at least <see cref="MinimumMergedRunBytes"/>. A group
    /// that fills only when the last map finishes is left to the reduces, as nothing is left to
    /// overlap its merge with. Below 2, runs are merged only by the reduces. Default: 8.
    /// </summary>
    public int MergeFactor { get; init; } = 8;

    /// <summary>
    /// The least a pushed merge should make: with many partitions, merging a few maps' small runs
    /// would make thousands of tiny merge tasks. Default: 16 MiB.
    /// </summary>
    public long MinimumMergedRunBytes { get; init; } = 16L << 20;

    /// <summary>Where progress goes, every <see cref="ProgressInterval"/> and when stages end. Default: nowhere.</summary>
    public IProgress<DataProgress>? Progress { get; init; }

    /// <summary>How often progress is reported. Default: 250 ms.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
