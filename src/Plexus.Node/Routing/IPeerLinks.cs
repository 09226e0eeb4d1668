using System.Diagnostics.CodeAnalysis;

namespace Plexus.Node;

/// <summary>The links from this node to the other nodes it can reach, by node id.</summary>
internal interface IPeerLinks
{
    /// <summary>The link to node <paramref name="node"/>; false when this node has none (never connected, or lost).</summary>
    bool TryGet(ulong node, [NotNullWhen(true)] out IMessageLink? link);
}
