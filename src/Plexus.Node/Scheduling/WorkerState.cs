using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>The node's view of one connected worker process and the tasks it holds.</summary>
internal sealed class WorkerState(IProcessLink link, string? package = null)
{
    public IProcessLink Link { get; } = link;

    /// <summary>
    /// The job package whose code this worker loaded: it runs only the tasks and actors of jobs
    /// of that package. Null for the embedded cluster's pool, which runs its program's code for every job.
    /// </summary>
    public string? Package { get; } = package;

    /// <summary>Whether this worker can run work of a job whose package is <paramref name="package"/>.</summary>
    public bool Serves(string? package) => Package is null || Package == package;

    // Tasks handed to this worker and not yet finished, with the store objects pinned for them.
    public Dictionary<TaskId, InFlightTask> InFlight { get; } = [];

    // The tasks of InFlight that wait on futures and so hold no CPU.
    public HashSet<TaskId> Blocked { get; } = [];

    public int Load => InFlight.Count - Blocked.Count;

    /// <summary>CPUs reserved by the actors living on this worker: its tasks get that many fewer.</summary>
    public double ReservedCpus { get; set; }

    /// <summary>
    /// When the idle sweep first saw it with no task and no actor since it last had work (a
    /// <see cref="TimeProvider"/> timestamp; see <see cref="IdleWorkers"/>); null when seen busy.
    /// </summary>
    public long? IdleSince { get; set; }
}

/// <summary>A task on a worker, with the store versions pinned for its arguments while it runs.</summary>
internal sealed class InFlightTask(TaskSpec spec, ObjectValue[] pinnedArgs, long handedOut)
{
    public TaskSpec Spec { get; } = spec;

    /// <summary>When it was handed out, in the node's order: a worker starts its tasks in this order.</summary>
    public long HandedOut { get; } = handedOut;

    public ObjectValue[] PinnedArgs { get; } = pinnedArgs;

    /// <summary>The worker reported that it started the task (until then it only queued it).</summary>
    public bool Started { get; set; }

    /// <summary>Cancelled by force: its worker is being killed, and its death answers the task cancelled rather than charging a retry.</summary>
    public bool CancelledByForce { get; set; }
}
