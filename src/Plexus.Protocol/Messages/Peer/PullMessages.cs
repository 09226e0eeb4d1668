using System.Buffers;
using MemoryPack;
using Plexus.Protocol.Framing;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A node asks a peer for an object its store holds (the primary, or a complete copy), to make a
/// copy of its own. Answered by <see cref="PullStarted"/> (the object is pinned at the source
/// until <see cref="PullDone"/>), <see cref="PullRefused"/>, or, from the primary, by
/// <see cref="PullRedirect"/> to a peer that holds a complete copy.
/// </summary>
[MemoryPackable]
internal sealed partial class PullObject : Message, ITransferMessage
{
    public required ObjectId Object { get; init; }

    /// <summary>
    /// Set when a copy this node was redirected to could not serve it: the primary then serves it
    /// itself rather than redirecting again.
    /// </summary>
    public bool NoRedirect { get; init; }

    /// <inheritdoc />
    public override void Validate() => PeerFields.ThrowIfMissing(Object, "PullObject.Object");
}

/// <summary>The source has pinned the object for the puller, who reads it with <see cref="ReadChunk"/>.</summary>
[MemoryPackable]
internal sealed partial class PullStarted : Message, ITransferMessage
{
    public required ObjectId Object { get; init; }

    /// <summary>The object's encoded bytes.</summary>
    public required long Size { get; init; }

    public required ValueFormat Format { get; init; }

    /// <summary>The runtime that owns the object; the copy is made under the same owner.</summary>
    public required ProcessAddress Owner { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        PeerFields.ThrowIfMissing(Object, "PullStarted.Object");
        PeerFields.ThrowIfNegative(Size, "PullStarted.Size");
        if (!Enum.IsDefined(Format))
        {
            throw new ProtocolViolationException($"PullStarted.Format is not a known format ({(byte)Format})");
        }

        if (Owner.Node == 0 || Owner.IsNode)
        {
            throw new ProtocolViolationException($"PullStarted.Owner is not a runtime's address ({Owner})");
        }
    }
}

/// <summary>The source cannot serve the object (freed there, or its spilled bytes could not be read back), and why.</summary>
[MemoryPackable]
internal sealed partial class PullRefused : Message, ITransferMessage
{
    public required ObjectId Object { get; init; }

    /// <summary>Why, for the message of the reader's exception.</summary>
    public required string Reason { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        PeerFields.ThrowIfMissing(Object, "PullRefused.Object");
        if (string.IsNullOrEmpty(Reason))
        {
            throw new ProtocolViolationException("PullRefused.Reason is missing");
        }
    }
}

/// <summary>The primary sends the puller to a peer that holds a complete copy, to spread the load of a broadcast.</summary>
[MemoryPackable]
internal sealed partial class PullRedirect : Message, ITransferMessage
{
    public required ObjectId Object { get; init; }

    /// <summary>The node that holds a complete copy.</summary>
    public required ulong Node { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        PeerFields.ThrowIfMissing(Object, "PullRedirect.Object");
        if (Node == 0)
        {
            throw new ProtocolViolationException("PullRedirect.Node is missing");
        }
    }
}

/// <summary>The puller asks for bytes [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Length"/>) of an object pinned for it.</summary>
[MemoryPackable]
internal sealed partial class ReadChunk : Message, ITransferMessage
{
    public required ObjectId Object { get; init; }

    public required long Offset { get; init; }

    public required int Length { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        PeerFields.ThrowIfMissing(Object, "ReadChunk.Object");
        PeerFields.ThrowIfNegative(Offset, "ReadChunk.Offset");
        if (Length <= 0)
        {
            throw new ProtocolViolationException($"ReadChunk.Length is not positive ({Length})");
        }
    }
}

/// <summary>
/// Bytes of an object at <see cref="Offset"/>, answering a <see cref="ReadChunk"/>. The bytes travel
/// as the frame's payload (<see cref="IFramePayload"/>): copied from the source's store as the
/// chunk is queued, and read on the receiver straight from the transport's buffer.
/// </summary>
[MemoryPackable]
internal sealed partial class ObjectChunk : Message, ITransferMessage, IFramePayload
{
    public required ObjectId Object { get; init; }

    public required long Offset { get; init; }

    /// <inheritdoc />
    [MemoryPackIgnore]
    public ReadOnlySequence<byte> Payload { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        PeerFields.ThrowIfMissing(Object, "ObjectChunk.Object");
        PeerFields.ThrowIfNegative(Offset, "ObjectChunk.Offset");
        if (Payload.IsEmpty)
        {
            throw new ProtocolViolationException("ObjectChunk.Payload is empty");
        }
    }
}

/// <summary>
/// The puller holds a complete copy now, or gave up: the source releases the pin it took for
/// the pull. Also sent to the primary when another node served the pull, so that it counts the
/// copy among those it may redirect to.
/// </summary>
[MemoryPackable]
internal sealed partial class PullDone : Message, ITransferMessage
{
    public required ObjectId Object { get; init; }

    /// <summary>True when the puller now holds a complete copy; false when it gave up (no room, the object was freed).</summary>
    public required bool Complete { get; init; }

    /// <inheritdoc />
    public override void Validate() => PeerFields.ThrowIfMissing(Object, "PullDone.Object");
}
