namespace Plexus.Binding;

/// <summary>
/// What a driver's <see cref="PlexusRuntime"/> knows of the cluster it started or joined, beyond
/// its own runtime: implemented by the embedded cluster (<c>Plexus.Hosting</c>) and by a driver
/// that joined one. Workers have none.
/// </summary>
internal abstract class ClusterConnection : IAsyncDisposable
{
    public virtual IReadOnlyList<int> WorkerProcessIds => [];

    public virtual Uri? ControlAddress => null;

    public virtual string ClusterToken => string.Empty;

    public virtual string NodeSocketName => string.Empty;

    public virtual long StoreBytesUsed => 0;

    public virtual int StoreObjectCount => 0;

    /// <summary>The address other programs join with; null when this driver cannot be joined through.</summary>
    public virtual ClusterAddress? Address => null;

    public virtual Task<MemoryReport> GetMemoryReportAsync(CancellationToken cancellationToken) => throw OnlyEmbedded();

    public virtual Task CollectGarbageAsync() => throw OnlyEmbedded();

    /// <summary>The cluster's live nodes (see <see cref="PlexusRuntime.GetNodesAsync"/>); <paramref name="self"/> is this driver's node.</summary>
    public virtual Task<IReadOnlyList<ClusterNodeInfo>> GetNodesAsync(ulong self, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A program joined through PlexusRuntime.ConnectAsync does not list the cluster's nodes; its driver does.");

    public abstract ValueTask DisposeAsync();

    private static NotSupportedException OnlyEmbedded() => new("Only the driver of an embedded cluster can do this.");
}
