using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A node tells a task's owner (the header's target) that it dropped the task from its queue
/// without running it: stored arguments of it (<see cref="Objects"/>) are on a node it cannot
/// reach. The task is not charged a retry; its owner finds or makes those arguments again and
/// submits the task once more, with the same id (docs/ARCHITECTURE.md, "Lineage reconstruction").
/// </summary>
[MemoryPackable]
internal sealed partial class ArgumentsLost : Message
{
    public required TaskId Task { get; init; }

    /// <summary>The arguments that could not be copied; at least one.</summary>
    public required ObjectId[] Objects { get; init; }

    /// <summary>The attempt of the spec the node dropped (<see cref="TaskSpec.Attempt"/>), so an owner that sent a later one ignores this.</summary>
    public int Attempt { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Objects, "ArgumentsLost.Objects");
        if (Objects.Length == 0)
        {
            throw new ProtocolViolationException("ArgumentsLost.Objects is empty: it must name the arguments that were lost.");
        }
    }
}
