using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>A worker process reached over its socket.</summary>
internal sealed class SocketProcessLink(int process, FrameConnection connection) : IProcessLink
{
    public int Process { get; } = process;

    public FrameConnection Connection { get; } = connection;

    public void Send(Message message)
    {
        try
        {
            Connection.Send(message);
        }
        catch (ConnectionClosedException)
        {
            // The worker is gone; its death is handled when its receive loop ends.
        }
    }
}
