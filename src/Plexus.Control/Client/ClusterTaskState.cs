namespace Plexus.Control;

/// <summary>What a task or actor call is doing, as the cluster's task table last heard from its nodes.</summary>
public enum ClusterTaskState
{
    /// <summary>Submitted to a node, not yet queued on one (being sent to the node chosen for it).</summary>
    Submitted = 1,

    /// <summary>Queued on a node, waiting for a free worker.</summary>
    PendingWorker = 2,

    /// <summary>Queued on a node, waiting for GPUs or custom resources that running work holds.</summary>
    PendingResources = 3,

    /// <summary>No node of the cluster can run it (it asks for more than any offers): it waits for one that can to join.</summary>
    Infeasible = 4,

    /// <summary>Handed to a worker, which has not started it yet.</summary>
    Dispatched = 5,

    /// <summary>Running on a worker (an actor call: handed to its actor's worker).</summary>
    Running = 6,

    /// <summary>Returned a value.</summary>
    Finished = 7,

    /// <summary>Failed: an exception, its worker's death with no retries left, a cancellation, or no node for it.</summary>
    Failed = 8,

    /// <summary>Its owner still waits for its arguments (futures not ready yet), so no node has it yet; listed once it waited about a second.</summary>
    PendingArgs = 9,
}
