using System.Net.Sockets;

namespace Plexus.Protocol.Transport;

/// <summary>A bound, listening stream socket; what it accepts is set up by the owning transport.</summary>
internal sealed class SocketListener(Socket socket, TransportEndpoint endpoint, Action<Socket> configure) : ITransportListener
{
    // How many connections the kernel queues before accept.
    public const int Backlog = 128;

    public TransportEndpoint Endpoint { get; } = endpoint;

    public async ValueTask<ITransportConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        Socket accepted;
        try
        {
            accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
        {
            // The listening socket was closed under a pending accept.
            throw new ObjectDisposedException($"The listener at {Endpoint} is closed.", e);
        }

        configure(accepted);
        return new SocketConnection(accepted);
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
