using Plexus.Binding;

namespace Plexus;

/// <summary>Memory: what is alive in the cluster, and releasing what the program dropped.</summary>
public sealed partial class PlexusRuntime
{
    /// <summary>
    /// Lists every live object in the cluster (the driver's and every worker's) with its owner,
    /// size, where it is (inline, shared memory, spilled) and what keeps it alive: local handles,
    /// pending tasks, containing objects and borrowing processes. Driver of an embedded cluster only.
    /// </summary>
    public System.Threading.Tasks.Task<MemoryReport> GetMemoryReportAsync(CancellationToken cancellationToken = default) =>
        ClusterOrThrow().GetMemoryReportAsync(cancellationToken);

    /// <summary>
    /// Asks every process in the cluster to collect garbage and release the handles the program
    /// dropped without disposing them; completes when all have (or after a short deadline). The
    /// node does this by itself when its store is under pressure; call it to free memory sooner.
    /// </summary>
    public System.Threading.Tasks.Task CollectGarbageAsync() => ClusterOrThrow().CollectGarbageAsync();

    private ClusterConnection ClusterOrThrow() =>
        _cluster ?? throw new NotSupportedException("Only the driver of an embedded cluster can do this.");
}
