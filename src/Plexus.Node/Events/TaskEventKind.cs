namespace Plexus.Node;

/// <summary>A step in the life of a task or actor call, as one node sees it (the protocol's <c>TaskEventKind</c>).</summary>
internal enum TaskEventKind : byte
{
    /// <summary>A runtime on this node submitted it.</summary>
    Submitted = 1,

    /// <summary>Sent on to the peer the placement chose (<see cref="TaskEvent.Peer"/>).</summary>
    Forwarded = 2,

    /// <summary>A peer placed it here.</summary>
    Received = 3,

    /// <summary>Queued here, waiting for a worker (an actor call: for its actor to be placed).</summary>
    Queued = 4,

    /// <summary>Queued here, waiting for GPUs or custom resources that running work holds.</summary>
    WaitingForResources = 5,

    /// <summary>No node of the cluster can run it: held until one joins.</summary>
    Infeasible = 6,

    /// <summary>Handed to a worker (<see cref="TaskEvent.Worker"/>).</summary>
    Dispatched = 7,

    /// <summary>The worker began running it.</summary>
    Started = 8,

    /// <summary>It returned.</summary>
    Finished = 9,

    /// <summary>It failed (<see cref="TaskEvent.Error"/>): an exception, a crash, a cancellation, no node for it.</summary>
    Failed = 10,

    /// <summary>
    /// Its owner, a runtime here, still resolves its arguments (futures not ready): it has not been
    /// submitted yet (<see cref="TaskEvent.Subject"/> is the <c>TaskWaitingForArgs</c> note).
    /// </summary>
    WaitingForArgs = 11,
}
