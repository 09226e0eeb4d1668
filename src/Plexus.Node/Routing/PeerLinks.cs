using System.Diagnostics.CodeAnalysis;

namespace Plexus.Node;

/// <summary>This node's connected peers. Only touched under the node's lock.</summary>
internal sealed class PeerLinks : IPeerLinks
{
    // The link to each connected peer node, by node id.
    private readonly Dictionary<ulong, IMessageLink> _links = [];

    public IEnumerable<(ulong Node, IMessageLink Link)> All => _links.Select(p => (p.Key, p.Value));

    public bool TryGet(ulong node, [NotNullWhen(true)] out IMessageLink? link) => _links.TryGetValue(node, out link);

    /// <summary>Adds a peer; false when one of that id is connected already.</summary>
    public bool Add(ulong node, IMessageLink link) => _links.TryAdd(node, link);

    public void Remove(ulong node) => _links.Remove(node);
}
