using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A process has exited: it borrows nothing and answers nothing any more. Its node tells every
/// runtime on it (owners drop it from their borrowers) and every peer node (which fails the
/// requests it routed to the process and tells its own runtimes).
/// </summary>
[MemoryPackable]
internal sealed partial class ProcessExited : Message
{
    public required ProcessAddress Process { get; init; }
}
