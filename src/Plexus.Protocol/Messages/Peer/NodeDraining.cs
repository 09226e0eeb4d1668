using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A node is leaving gracefully: it takes no new work from now on (its running and queued tasks
/// finish), so the node receiving this places nothing more on it. Sent on every link, and on links
/// made while it drains.
/// </summary>
[MemoryPackable]
internal sealed partial class NodeDraining : Message
{
    /// <inheritdoc />
    public override void Validate()
    {
    }
}
