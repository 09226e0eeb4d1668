using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>Another node, reached over its connection.</summary>
internal sealed class PeerLink(FrameConnection<Message> connection) : IMessageLink
{
    /// <summary>Closes the link: its receive loop ends, and the node handles the peer as lost.</summary>
    public ValueTask CloseAsync() => connection.DisposeAsync();

    public LinkSendQueue Queued { get; } = new();

    public void Send(Message message)
    {
        try
        {
            connection.Send(message);
        }
        catch (ConnectionClosedException)
        {
            // The peer is gone: its receive loop ends, which fails what was routed to it.
        }
    }
}
