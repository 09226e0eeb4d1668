using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>A runtime asks its node to schedule a task whose arguments are all resolved.</summary>
[MemoryPackable]
internal sealed partial class SubmitTask : Message
{
    public required TaskSpec Spec { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Spec, "SubmitTask.Spec");
        ProtocolViolationException.ThrowIfNull(Spec.Args, "TaskSpec.Args");
        ProtocolViolationException.ThrowIfNull(Spec.Function, "TaskSpec.Function");
    }
}

/// <summary>The node hands a task to a worker.</summary>
[MemoryPackable]
internal sealed partial class ExecuteTask : Message
{
    public required TaskSpec Spec { get; init; }
}

/// <summary>
/// A worker starts running a task it was handed (it may have queued it behind others). When the
/// worker dies, the node charges a retry only to the tasks it knows had started; the others are
/// re-queued free. Coalesced into the worker's batched writes, so it may not have left when a
/// task kills its process at once: see <see cref="TaskSpec.ConfirmStart"/>.
/// </summary>
[MemoryPackable]
internal sealed partial class TaskStarted : Message
{
    public required TaskId Task { get; init; }
}

/// <summary>A running task waits on a future: its CPU is given back until <see cref="TaskUnblocked"/>.</summary>
[MemoryPackable]
internal sealed partial class TaskBlocked : Message
{
    public required TaskId Task { get; init; }
}

/// <summary>A task that waited on a future runs again.</summary>
[MemoryPackable]
internal sealed partial class TaskUnblocked : Message
{
    public required TaskId Task { get; init; }
}

/// <summary>
/// A runtime tells its node that a task it owns has waited a while for its arguments (futures not
/// ready yet) and has not been submitted: the node records it for the state API, which lists the
/// task as pending its arguments. Sent once per task, only past a threshold, and always before the
/// task's <see cref="SubmitTask"/> (or the call's <c>CallActor</c>), so it never arrives after it.
/// </summary>
[MemoryPackable]
internal sealed partial class TaskWaitingForArgs : Message
{
    public required TaskId Task { get; init; }

    /// <summary>The task's name or its function's; an actor call's method.</summary>
    public required string Name { get; init; }

    /// <summary>The first few of the arguments it waits for.</summary>
    public required ObjectId[] WaitingFor { get; init; }

    /// <summary>How many arguments it waits for in all.</summary>
    public int Count { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Name, "TaskWaitingForArgs.Name");
        ProtocolViolationException.ThrowIfNull(WaitingFor, "TaskWaitingForArgs.WaitingFor");
        if (Count < WaitingFor.Length)
        {
            throw new ProtocolViolationException($"TaskWaitingForArgs.Count ({Count}) is less than the ids it names ({WaitingFor.Length}).");
        }
    }
}
