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
