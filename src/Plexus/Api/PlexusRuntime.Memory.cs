using Plexus.Node;
using Plexus.Protocol.Messages;

namespace Plexus;

/// <summary>Memory: what is alive in the cluster, and releasing what the program dropped.</summary>
public sealed partial class PlexusRuntime
{
    /// <summary>
    /// Lists every live object in the cluster (the driver's and every worker's) with its owner,
    /// size, where it is (inline, shared memory, spilled) and what keeps it alive: local handles,
    /// pending tasks, containing objects and borrowing processes. Driver of an embedded cluster only.
    /// </summary>
    public async System.Threading.Tasks.Task<MemoryReport> GetMemoryReportAsync(CancellationToken cancellationToken = default)
    {
        var node = NodeOrThrow();
        var workers = node.WorkerProcesses.Select(p => Core.DescribeObjectsAsync(new ProcessAddress(node.NodeId, p), cancellationToken));
        var owned = Core.References.DescribeOwned().Concat((await System.Threading.Tasks.Task.WhenAll(workers).ConfigureAwait(false)).SelectMany(o => o));
        var stored = node.DescribeStore().ToDictionary(s => s.Id);
        var objects = owned.Select(o => Describe(o, stored.GetValueOrDefault(o.Id))).ToList();
        return new MemoryReport(objects, node.StoreCapacity, node.StoreUsed, node.SpilledBytes, node.SpillFileCount);
    }

    /// <summary>
    /// Asks every process in the cluster to collect garbage and release the handles the program
    /// dropped without disposing them; completes when all have (or after a short deadline). The
    /// node does this by itself when its store is under pressure; call it to free memory sooner.
    /// </summary>
    public System.Threading.Tasks.Task CollectGarbageAsync() => NodeOrThrow().CollectGarbageAsync();

    private NodeDaemon NodeOrThrow() =>
        _node ?? throw new NotSupportedException("Only the driver of an embedded cluster can do this.");

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
