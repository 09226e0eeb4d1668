using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>A node asks a peer which of these objects it holds a complete copy of (for <see cref="LocateObjects"/>); answered by <see cref="CopiesFound"/> with the same request id.</summary>
[MemoryPackable]
internal sealed partial class FindCopies : Message
{
    public required ObjectId[] Objects { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Objects, "FindCopies.Objects");
}

/// <summary>A peer's answer to <see cref="FindCopies"/>: the objects it holds a complete copy of.</summary>
[MemoryPackable]
internal sealed partial class CopiesFound : Message
{
    public required ObjectId[] Objects { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Objects, "CopiesFound.Objects");
}
