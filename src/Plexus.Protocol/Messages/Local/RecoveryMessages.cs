using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// An owner asks its node which live nodes hold a complete copy of objects whose primary node is
/// gone; the node asks its peers (<see cref="FindCopies"/>) and answers with
/// <see cref="ObjectsLocated"/> once every linked peer has answered, or after a short deadline.
/// </summary>
[MemoryPackable]
internal sealed partial class LocateObjects : Message
{
    public required ObjectId[] Objects { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Objects, "LocateObjects.Objects");
}

/// <summary>
/// Where objects are: the answer to <see cref="LocateObjects"/> (a node holding a copy of each id
/// found, the others left out) and to <see cref="AdoptCopies"/> (the copies the holder adopted).
/// </summary>
[MemoryPackable]
internal sealed partial class ObjectsLocated : Message, IReply
{
    public required ObjectLocation[] Found { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Found, "ObjectsLocated.Found");
}

/// <summary>
/// An owner makes the copies node <see cref="Node"/> holds of its objects their primaries, owned
/// by <see cref="Owner"/> (freed when it frees them or exits); its node passes the request on to
/// that node, which answers the owner with <see cref="ObjectsLocated"/> naming those it adopted
/// (a copy evicted meanwhile is left out).
/// </summary>
[MemoryPackable]
internal sealed partial class AdoptCopies : Message
{
    public required ObjectId[] Objects { get; init; }

    /// <summary>The node holding the copies.</summary>
    public required ulong Node { get; init; }

    /// <summary>The runtime that owns the objects and gets the answer.</summary>
    public required ProcessAddress Owner { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Objects, "AdoptCopies.Objects");
}

/// <summary>A node holding a complete copy of an object.</summary>
[MemoryPackable]
internal readonly partial record struct ObjectLocation(ObjectId Id, ulong Node);
