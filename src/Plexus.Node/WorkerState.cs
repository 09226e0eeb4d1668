using System.Diagnostics;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>The node's view of one connected worker process and the tasks it holds.</summary>
internal sealed class WorkerState(IProcessLink link, Process? osProcess)
{
    public IProcessLink Link { get; } = link;

    public Process? OsProcess { get; } = osProcess;

    // Tasks handed to this worker and not yet finished, with the store objects pinned for them.
    public Dictionary<TaskId, InFlightTask> InFlight { get; } = [];

    // How many of InFlight wait on futures and so hold no CPU.
    public int Blocked { get; set; }

    public int Load => InFlight.Count - Blocked;
}

internal sealed record InFlightTask(TaskSpec Spec, ObjectId[] PinnedArgs);
