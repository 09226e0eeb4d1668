namespace Plexus.Control;

/// <summary>
/// An object in a node's store, as the node last reported it (about once a second); or, when the
/// listing includes held objects, one a process holds in its own memory, as it told when asked.
/// </summary>
/// <param name="ObjectId">Its id in hex: its creating task's id, then its index.</param>
/// <param name="JobId">Its job's id in hex.</param>
/// <param name="NodeId">The node whose store holds it, in hex; for a held object, the node of the process holding it.</param>
/// <param name="Size">Its bytes (0 for a pending result, and a borrowed ref whose value was not fetched).</param>
/// <param name="Location">
/// In a store: <c>memory</c>, <c>spilled</c> (on the node's disk only), or while it moves <c>writing</c>,
/// <c>spilling</c>, <c>restoring</c>. Held by a process (<see cref="IsHeld"/>): <c>inline</c> (owned,
/// its value in the owner's memory), <c>pending</c> (owned, its task not finished), <c>borrowed</c>
/// (a ref to another process's object), <c>failed</c> (owned, its task failed).
/// </param>
/// <param name="PrimaryNodeId">For a secondary copy, the node holding the primary, in hex; null for a primary.</param>
/// <param name="OwnerProcess">Its owner's process number on the node (0 the embedded driver, others 1..; negative: a process of another node); for a held object, the holding process's (for <c>borrowed</c>, the borrower's).</param>
/// <param name="OwnerPid">That process's pid; 0 when it is not on this node or not known.</param>
/// <param name="Pins">Readers holding it in memory now (store objects).</param>
/// <param name="CallSite">What made it: the task that returned it (its name), <c>NAME (put)</c> for a put in a task, <c>driver (put)</c> for a put of the driver.</param>
public sealed record ObjectEntry(
    string ObjectId, string JobId, string NodeId, long Size, string Location, string? PrimaryNodeId, int OwnerProcess, int OwnerPid, int Pins, string CallSite)
{
    /// <summary>Whether this is a secondary copy of an object whose primary is on another node.</summary>
    public bool IsCopy => PrimaryNodeId is not null;

    /// <summary>Whether a process holds it in its own reference table rather than a store (listed with <c>includeHeld</c>).</summary>
    public bool IsHeld { get; init; }

    /// <summary>Held objects: the live refs to it in the holding process.</summary>
    public int Handles { get; init; }

    /// <summary>Held objects: tasks the holding process submitted, not finished, that take it as an argument.</summary>
    public int PendingTasks { get; init; }

    /// <summary>Held objects the process owns: the processes registered as borrowing it.</summary>
    public int Borrowers { get; init; }
}

/// <summary>What <see cref="ClusterState.ListObjectsAsync"/> answers.</summary>
/// <param name="Objects">The objects, largest first. Each node lists only its largest (1 000), so small objects of a full store may be missing.</param>
/// <param name="Total">How many objects the stores asked about hold in all, listed or not; with held objects, plus those the processes hold outside a store.</param>
public sealed record ObjectListing(IReadOnlyList<ObjectEntry> Objects, long Total)
{
    /// <summary>With held objects: each process asked, with its counts; empty otherwise.</summary>
    public IReadOnlyList<ProcessObjects> Processes { get; init; } = [];

    /// <summary>With held objects: the alive nodes (hex) that did not answer in time, whose processes are not counted.</summary>
    public IReadOnlyList<string> SilentNodes { get; init; } = [];
}

/// <summary>What one process (a driver or a worker) holds in its reference table, as it told when asked.</summary>
/// <param name="NodeId">Its node, in hex.</param>
/// <param name="Process">Its process number on the node.</param>
/// <param name="Pid">Its pid; 0 when not known.</param>
/// <param name="IsDriver">Whether it is a driver (else a worker).</param>
/// <param name="Answered">False when it did not answer within its node's deadline (busy, stuck or exiting): the counts are then 0.</param>
/// <param name="InlineObjects">Owned values in its memory (at most the inline threshold each).</param>
/// <param name="InlineBytes">Their bytes.</param>
/// <param name="StoredObjects">Owned values in a store (listed by the stores).</param>
/// <param name="StoredBytes">Their bytes.</param>
/// <param name="PendingObjects">Owned results not made yet.</param>
/// <param name="BorrowedObjects">Refs to other processes' objects.</param>
/// <param name="BorrowedBytes">The bytes of the values it fetched of them.</param>
/// <param name="FailedObjects">Owned results whose task failed.</param>
public sealed record ProcessObjects(
    string NodeId, int Process, int Pid, bool IsDriver, bool Answered, long InlineObjects, long InlineBytes, long StoredObjects, long StoredBytes,
    long PendingObjects, long BorrowedObjects, long BorrowedBytes, long FailedObjects);

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
public sealed record MemoryGroup(string Key, long Bytes, long Objects, long SpilledBytes)
{
    /// <summary>With held objects: of <see cref="Bytes"/>, the inline values processes hold in their own memory.</summary>
    public long HeldBytes { get; init; }

    /// <summary>With held objects: of <see cref="Objects"/>, those inline values.</summary>
    public long HeldObjects { get; init; }
}

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
public sealed record ClusterMemoryReport(MemoryGrouping GroupBy, IReadOnlyList<MemoryGroup> Groups, IReadOnlyList<NodeStoreUsage> Nodes)
{
    /// <summary>With held objects: each process asked, with its counts; empty otherwise.</summary>
    public IReadOnlyList<ProcessObjects> Processes { get; init; } = [];

    /// <summary>With held objects: the alive nodes (hex) that did not answer in time, whose processes are not counted.</summary>
    public IReadOnlyList<string> SilentNodes { get; init; } = [];
}
