using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>A runtime in another process (a worker, a joined driver) reached over its connection.</summary>
internal sealed class SocketProcessLink(int process, FrameConnection<Message> connection) : IProcessLink
{
    public int Process { get; } = process;

    public FrameConnection<Message> Connection { get; } = connection;

    public LinkSendQueue Queued { get; } = new();

    public void Send(Message message)
    {
        try
        {
            Connection.Send(message);
        }
        catch (ConnectionClosedException)
        {
            // The process is gone, or stopped reading and its connection was failed: either
            // way its receive loop ends, which handles its death. Never waits: called under the node's lock.
        }
    }
}
