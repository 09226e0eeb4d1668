using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// The primary node freed these objects (their owner freed them, or died): a peer holding a copy
/// of one frees it too, and a pull of one under way there fails.
/// </summary>
[MemoryPackable]
internal sealed partial class DropCopies : Message, ITransferMessage
{
    public required ObjectId[] Objects { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Objects, "DropCopies.Objects");
        if (Objects.Length == 0)
        {
            throw new ProtocolViolationException("DropCopies.Objects is empty");
        }

        foreach (var id in Objects)
        {
            PeerFields.ThrowIfMissing(id, "DropCopies.Objects[]");
        }
    }
}

/// <summary>A peer evicted its copy of an object (store pressure): the primary no longer redirects pulls to it.</summary>
[MemoryPackable]
internal sealed partial class CopyDropped : Message, ITransferMessage
{
    public required ObjectId Object { get; init; }

    /// <inheritdoc />
    public override void Validate() => PeerFields.ThrowIfMissing(Object, "CopyDropped.Object");
}
