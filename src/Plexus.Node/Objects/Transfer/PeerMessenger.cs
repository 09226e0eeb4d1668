using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>Sends this node's own messages to peer nodes (node to node, not forwarded for a process). Called under the node's lock.</summary>
internal sealed class PeerMessenger(LocalAddresses addresses, IPeerLinks peers)
{
    /// <summary>This node's id.</summary>
    public ulong Self => addresses.Node.Node;

    public bool IsLinked(ulong node) => node != Self && peers.TryGet(node, out _);

    /// <summary>Queues <paramref name="message"/> for node <paramref name="node"/>; false (nothing sent) when this node has no link to it.</summary>
    public bool Send(ulong node, Message message, Outbox outbox)
    {
        if (node == Self || !peers.TryGet(node, out var link))
        {
            return false;
        }

        message.Target = ProcessAddress.NodeOf(node);
        message.Source = addresses.Node;
        outbox.Add(link, message);
        return true;
    }
}
