using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>The node tells a worker to exit.</summary>
[MemoryPackable]
internal sealed partial class Shutdown : Message;

/// <summary>
/// The node asks a pool worker that has stayed idle beyond the pool's size to exit, and hands it
/// nothing until it answers (<see cref="StopIfIdleAnswer"/>). The worker alone knows whether
/// stopping loses nothing: objects it owns or borrows, tasks it submitted and awaits.
/// </summary>
[MemoryPackable]
internal sealed partial class StopIfIdle : Message;

/// <summary>
/// A worker's answer to <see cref="StopIfIdle"/>: <see cref="Stopping"/> when it owns and borrows
/// nothing, runs and queues nothing, hosts no actor and awaits no task; it then exits once the
/// answer is written. Otherwise it stays, and the node may hand it work again.
/// </summary>
[MemoryPackable]
internal sealed partial class StopIfIdleAnswer : Message
{
    public required bool Stopping { get; init; }
}

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
