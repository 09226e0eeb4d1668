using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>Something the node sends messages to: a runtime on the node, or a peer node.</summary>
internal interface IMessageLink
{
    /// <summary>Delivers a message; never blocks (called after the node's lock, but on its receive paths); throws nothing if the other side is gone.</summary>
    void Send(Message message);

    /// <summary>What an <see cref="Outbox"/> decided for this link and has not sent yet, in the node's order.</summary>
    LinkSendQueue Queued { get; }
}
