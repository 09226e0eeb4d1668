using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A runtime asks an object's owner (the header's target) for its value, answered by
/// <see cref="ObjectReply"/> once it exists, or by <see cref="RequestFailed"/> if the owner is gone.
/// </summary>
[MemoryPackable]
internal sealed partial class GetObject : Message, IRouted
{
    public required ObjectId Object { get; init; }

    /// <summary>
    /// 0 for a plain read. Otherwise the node the reader found unreachable while copying the value
    /// the owner gave it: if the owner still knows the object there, it makes the object again (or
    /// finds a copy) and answers with the new value; else it answers with the value it knows now.
    /// </summary>
    public ulong LostAt { get; init; }

    /// <summary>
    /// The job the requesting code acts for. The requester's node admits a request for another
    /// job's object only with that object's <see cref="Capability"/> (see docs/ARCHITECTURE.md,
    /// Isolation between jobs); a driver that attached over a socket is held to its own job.
    /// </summary>
    public JobId Job { get; init; }

    /// <summary>The object's tag, when the requester was handed the ref by another job; else none.</summary>
    public Security.CapabilityTag Capability { get; init; }
}

/// <summary>The owner's answer to <see cref="GetObject"/>.</summary>
[MemoryPackable]
internal sealed partial class ObjectReply : Message, IReply, IRouted
{
    public required ObjectValue Value { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Value, "ObjectReply.Value");
}

/// <summary>
/// Asks a runtime (the header's target) to describe the objects it owns; answered by
/// <see cref="ObjectsDescribed"/>, or by <see cref="RequestFailed"/> if it is gone.
/// </summary>
[MemoryPackable]
internal sealed partial class DescribeObjects : Message, IRouted;

/// <summary>One runtime's owned objects, for a memory report.</summary>
[MemoryPackable]
internal sealed partial class ObjectsDescribed : Message, IReply, IRouted
{
    public required OwnedObjectReport[] Objects { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Objects, "ObjectsDescribed.Objects");
}
