using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>The node tells a worker to exit.</summary>
[MemoryPackable]
internal sealed partial class Shutdown : Message;

/// <summary>
/// The store is under pressure: collect garbage and release every unreachable handle, then answer
/// <see cref="CollectDone"/> (after the releases, so the node sees them first).
/// </summary>
[MemoryPackable]
internal sealed partial class CollectGarbage : Message
{
    public required long Round { get; init; }
}

/// <summary>A runtime has collected and sent its releases for <see cref="Round"/>.</summary>
[MemoryPackable]
internal sealed partial class CollectDone : Message
{
    public required long Round { get; init; }
}
