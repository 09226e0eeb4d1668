using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>Request a buffer in the node's store (the "request" of request/commit), answered by <see cref="CreateReply"/>.</summary>
[MemoryPackable]
internal sealed partial class CreateObject : Message
{
    public required ObjectId Object { get; init; }
    public required long Size { get; init; }
    /// <summary>The runtime that owns the object (the task's owner, for a return value); its death frees it.</summary>
    public required ProcessAddress Owner { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        if (Size < 0)
        {
            throw new ProtocolViolationException($"CreateObject.Size is negative ({Size})");
        }
    }
}

/// <summary>Where to write a created object, or why it could not be created.</summary>
[MemoryPackable]
internal sealed partial class CreateReply : Message, IReply
{
    public required long Offset { get; init; }
    public ErrorInfo? Error { get; init; }
}

/// <summary>The "commit": the object's bytes are written and immutable from now on.</summary>
[MemoryPackable]
internal sealed partial class SealObject : Message
{
    public required ObjectId Object { get; init; }
    public required ObjectValue Value { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Value, "SealObject.Value");
}

/// <summary>An owner frees objects: their store copies go once no reader pins them.</summary>
[MemoryPackable]
internal sealed partial class FreeObjects : Message
{
    public required ObjectId[] Objects { get; init; }

    /// <summary>The node whose store holds them, which the receiving node passes them on to; 0 for its own.</summary>
    public ulong Node { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Objects, "FreeObjects.Objects");
}

/// <summary>
/// Pin a stored object for reading, answered by <see cref="PinReply"/>. An object in another
/// node's store is first copied into this node's (pulled from <see cref="Node"/>).
/// </summary>
[MemoryPackable]
internal sealed partial class PinObject : Message
{
    public required ObjectId Object { get; init; }

    /// <summary>The node whose store holds the object (the value's <see cref="ObjectValue.Node"/>); 0 or this node's id when it is here.</summary>
    public ulong Node { get; init; }
}

/// <summary>The stored object's location (now pinned), or <c>Found = false</c> when it is gone.</summary>
[MemoryPackable]
internal sealed partial class PinReply : Message, IReply
{
    public required bool Found { get; init; }
    public ObjectValue? Value { get; init; }
    /// <summary>Why a spilled object could not be brought back into memory, when that failed.</summary>
    public ErrorInfo? Error { get; init; }
}

/// <summary>A reader releases a pin taken by <see cref="PinObject"/>.</summary>
[MemoryPackable]
internal sealed partial class UnpinObject : Message
{
    public required ObjectId Object { get; init; }
    /// <summary>The offset the pin was taken at: names the version pinned.</summary>
    public required long Offset { get; init; }
}
