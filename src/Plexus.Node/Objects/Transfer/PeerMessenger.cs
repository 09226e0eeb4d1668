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
        if (Addressed(node, message) is not { } link)
        {
            return false;
        }

        outbox.Add(link, message);
        return true;
    }

    /// <summary>
    /// Queues <paramref name="message"/> on the link to node <paramref name="node"/> at once, under
    /// the node's lock, rather than when the outbox is flushed: for a message whose payload is
    /// valid only while the lock is held. A peer link's send only copies into its buffer (its
    /// writes start after the lock), so no handler runs under the lock. Nothing is sent when there
    /// is no link, or it is closing.
    /// </summary>
    public void SendNow(ulong node, Message message) => Addressed(node, message)?.Send(message);

    private IMessageLink? Addressed(ulong node, Message message)
    {
        if (node == Self || !peers.TryGet(node, out var link))
        {
            return null;
        }

        message.Target = ProcessAddress.NodeOf(node);
        message.Source = addresses.Node;
        return link;
    }
}
