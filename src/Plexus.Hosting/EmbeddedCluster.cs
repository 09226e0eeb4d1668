using Microsoft.Extensions.Hosting;
using Plexus.Binding;
using Plexus.Core;
using Plexus.Node;
using Plexus.Protocol.Messages;

namespace Plexus.Hosting;

/// <summary>
/// The cluster a driver started in its own process: the host running its node daemon, and its
/// control plane, stopped with it.
/// </summary>
internal sealed class EmbeddedCluster(CoreRuntime core, IHost host, NodeDaemon node, EmbeddedControlPlane control) : ClusterConnection
{
    /// <summary>The embedded cluster a driver's runtime started; null for a worker or a driver that joined one.</summary>
    public static EmbeddedCluster? Of(PlexusRuntime plexus) => plexus.Cluster as EmbeddedCluster;

    /// <summary>The node daemon in this process.</summary>
    public NodeDaemon Node => node;

    /// <summary>The control service in this process.</summary>
    public EmbeddedControlPlane Control => control;

    public override IReadOnlyList<int> WorkerProcessIds => node.WorkerPids;

    public override string ClusterToken => node.ClusterToken;

    public override string NodeSocketName => node.SocketName;

    public override long StoreBytesUsed => node.StoreUsed;

    public override int StoreObjectCount => node.StoreObjectCount;

    public override ClusterAddress? Address => new(node.SocketName, node.ClusterToken);

    public override async Task<MemoryReport> GetMemoryReportAsync(CancellationToken cancellationToken)
    {
        var workers = node.WorkerProcesses.Select(p => core.DescribeObjectsAsync(new ProcessAddress(node.NodeId, p), cancellationToken));
        var owned = core.References.DescribeOwned().Concat((await Task.WhenAll(workers).ConfigureAwait(false)).SelectMany(o => o));
        var stored = node.DescribeStore().ToDictionary(s => s.Id);
        var objects = owned.Select(o => Describe(o, stored.GetValueOrDefault(o.Id))).ToList();
        return new MemoryReport(objects, node.StoreCapacity, node.StoreUsed, node.SpilledBytes, node.SpillFileCount);
    }

    public override Task CollectGarbageAsync() => node.CollectGarbageAsync();

    // The cluster is this one node.
    public override Task<IReadOnlyList<ClusterNodeInfo>> GetNodesAsync(ulong self, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ClusterNodeInfo>>([new ClusterNodeInfo(node.NodeId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), node.NodeId == self, node.TotalResources)]);

    public override async ValueTask DisposeAsync()
    {
        core.Close(new ObjectDisposedException("The Plexus runtime was disposed.", (Exception?)null));
        await EmbeddedClusterLauncher.StopAsync(host).ConfigureAwait(false);
        await control.DisposeAsync().ConfigureAwait(false);
    }

    private static ObjectMemoryInfo Describe(OwnedObjectReport owned, StoredObjectInfo? stored) => new(
        owned.Id,
        owned.Owner,
        owned.Size,
        owned.Location switch
        {
            null => ObjectResidence.Pending,
            ValueLocation.Inline => ObjectResidence.Inline,
            ValueLocation.Failed => ObjectResidence.Failed,
            _ => stored?.State == StoredObjectState.Spilled ? ObjectResidence.Spilled : ObjectResidence.SharedMemory,
        },
        owned.LocalHandles,
        owned.PendingTasks,
        owned.ContainedIn,
        [.. owned.Borrowers.Select(b => b.Process)],
        stored?.Pins ?? 0,
        owned.CallSite);
}
