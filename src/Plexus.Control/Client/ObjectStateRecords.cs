namespace Plexus.Control;

/// <summary>An object in a node's store, as the node last reported it (about once a second).</summary>
/// <param name="ObjectId">Its id in hex: its creating task's id, then its index.</param>
/// <param name="JobId">Its job's id in hex.</param>
/// <param name="NodeId">The node whose store holds it, in hex.</param>
/// <param name="Size">Its bytes.</param>
/// <param name="Location"><c>memory</c>, <c>spilled</c> (on the node's disk only), or while it moves <c>writing</c>, <c>spilling</c>, <c>restoring</c>.</param>
/// <param name="PrimaryNodeId">For a secondary copy, the node holding the primary, in hex; null for a primary.</param>
/// <param name="OwnerProcess">Its owner's process number on the node (0 the driver, workers 1..; negative: a process of another node).</param>
/// <param name="OwnerPid">Its owner's pid; 0 when the owner is not on this node or not known.</param>
/// <param name="Pins">Readers holding it in memory now.</param>
/// <param name="CallSite">What made it: the task that returned it (its name), <c>NAME (put)</c> for a put in a task, <c>driver (put)</c> for a put of the driver.</param>
public sealed record ObjectEntry(
    string ObjectId, string JobId, string NodeId, long Size, string Location, string? PrimaryNodeId, int OwnerProcess, int OwnerPid, int Pins, string CallSite)
{
    /// <summary>Whether this is a secondary copy of an object whose primary is on another node.</summary>
    public bool IsCopy => PrimaryNodeId is not null;
}

/// <summary>What <see cref="ClusterState.ListObjectsAsync"/> answers.</summary>
/// <param name="Objects">The objects, largest first. Each node lists only its largest (1 000), so small objects of a full store may be missing.</param>
/// <param name="Total">How many objects the stores asked about hold in all, listed or not.</param>
public sealed record ObjectListing(IReadOnlyList<ObjectEntry> Objects, long Total);

/// <summary>How <see cref="ClusterState.GetMemoryReportAsync"/> groups the stores' objects.</summary>
public enum MemoryGrouping
{
    /// <summary>By the node whose store holds them.</summary>
    Node,

    /// <summary>By their job.</summary>
    Job,

    /// <summary>By what made them (the task's name, or a put); only objects their nodes listed have one.</summary>
    CallSite,
}

/// <summary>One group of the memory report.</summary>
/// <param name="Key">The node's or job's id in hex, or the call site; <c>(not listed)</c> for objects no node listed, by call site.</param>
/// <param name="Bytes">The bytes of its objects, in memory or spilled.</param>
/// <param name="Objects">How many objects.</param>
/// <param name="SpilledBytes">Of <paramref name="Bytes"/>, those on disk only.</param>
public sealed record MemoryGroup(string Key, long Bytes, long Objects, long SpilledBytes);

/// <summary>A node's store: its size and use, as of its latest report.</summary>
/// <param name="NodeId">The node, in hex.</param>
/// <param name="CapacityBytes">The store's shared memory.</param>
/// <param name="UsedBytes">Of it, in use.</param>
/// <param name="SpilledBytes">Bytes of objects on the node's disk only.</param>
/// <param name="ObjectCount">Objects in the store.</param>
/// <param name="ReportedAt">When the head heard this.</param>
public sealed record NodeStoreUsage(string NodeId, long CapacityBytes, long UsedBytes, long SpilledBytes, long ObjectCount, DateTimeOffset ReportedAt);

/// <summary>The memory report: the stores' objects grouped, largest group first, and each node's store.</summary>
/// <param name="GroupBy">How the groups are made.</param>
/// <param name="Groups">The groups, largest first.</param>
/// <param name="Nodes">Each node's store, by node id.</param>
public sealed record ClusterMemoryReport(MemoryGrouping GroupBy, IReadOnlyList<MemoryGroup> Groups, IReadOnlyList<NodeStoreUsage> Nodes);
