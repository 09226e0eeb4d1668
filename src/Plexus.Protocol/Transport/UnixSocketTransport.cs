using System.Net.Sockets;

namespace Plexus.Protocol.Transport;

/// <summary>
/// Unix domain sockets in the abstract namespace (<c>unix:@name</c>): no file on disk, so nothing
/// is left behind when a process is killed, and only processes on this machine can connect.
/// </summary>
internal sealed class UnixSocketTransport : ITransport
{
    private UnixSocketTransport()
    {
    }

    /// <summary>The transport (it holds no state).</summary>
    public static UnixSocketTransport Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask<ITransportListener> ListenAsync(TransportEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        var address = AddressOf(endpoint);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(address);
            socket.Listen(SocketListener.Backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TransportException($"Cannot listen at {endpoint}: {e.Message}. Another process may hold that name; choose another.", e);
        }

        return ValueTask.FromResult<ITransportListener>(new SocketListener(socket, endpoint, static _ => { }));
    }

    /// <inheritdoc />
    public async ValueTask<ITransportConnection> ConnectAsync(TransportEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        var address = AddressOf(endpoint);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(address, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            socket.Dispose();
            if (e is SocketException)
            {
                throw new TransportException($"Nothing listens at {endpoint}: {e.Message}. Check that the process serving it is running.", e);
            }

            throw;
        }

        return new SocketConnection(socket);
    }

    // A leading NUL puts the name in the abstract namespace.
    private static UnixDomainSocketEndPoint AddressOf(TransportEndpoint endpoint)
    {
        if (endpoint.Kind != TransportKind.Unix)
        {
            throw new ArgumentException($"{endpoint} is not a Unix socket endpoint (unix:@<name>).", nameof(endpoint));
        }

        return new UnixDomainSocketEndPoint("\0" + endpoint.Host);
    }
}
