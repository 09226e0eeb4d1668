using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A node hands a task to another that can run it (it holds the task's argument bytes, has free
/// CPUs, offers the resources, or the task is bound to it). The receiving node queues it as its
/// own and does not pass it on again: results go straight to the owner through the routers.
/// </summary>
[MemoryPackable]
internal sealed partial class ForwardTask : Message
{
    public required TaskSpec Spec { get; init; }

    /// <summary>The job package whose code runs it; null when the sending node runs none (it has no packages either).</summary>
    public string? Package { get; init; }

    /// <summary>The driver of the task's job, which is shown what the job's workers print; null if the sender does not know it.</summary>
    public ProcessAddress? Driver { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Spec, "ForwardTask.Spec");
        ProtocolViolationException.ThrowIfNull(Spec.Args, "TaskSpec.Args");
        ProtocolViolationException.ThrowIfNull(Spec.Function, "TaskSpec.Function");
    }
}
