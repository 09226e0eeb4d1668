using System.Net;
using System.Net.Sockets;

namespace Plexus.Protocol.Transport;

/// <summary>
/// TCP over IPv4 or IPv6 (<c>tcp:host:port</c>). Nagle's algorithm is off on every connection:
/// the frame connection batches small frames itself, and a frame must not wait for an
/// acknowledgement of the one before it.
/// </summary>
internal sealed class TcpTransport : ITransport
{
    private TcpTransport()
    {
    }

    /// <summary>The transport (it holds no state).</summary>
    public static TcpTransport Instance { get; } = new();

    /// <inheritdoc />
    public async ValueTask<ITransportListener> ListenAsync(TransportEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        RequireTcp(endpoint);
        var address = await LocalAddressAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, endpoint.Port));
            socket.Listen(SocketListener.Backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TransportException($"Cannot listen at {endpoint}: {e.Message}. Choose a free port, or port 0 for any.", e);
        }

        var bound = (IPEndPoint)socket.LocalEndPoint!;
        return new SocketListener(socket, TransportEndpoint.Tcp(endpoint.Host, bound.Port), DisableNagle);
    }

    /// <inheritdoc />
    public async ValueTask<ITransportConnection> ConnectAsync(TransportEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        RequireTcp(endpoint);
        // Dual-mode: a name may resolve to IPv4 or IPv6 addresses, and either is tried.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            socket.Dispose();
            if (e is SocketException)
            {
                throw new TransportException($"Cannot connect to {endpoint}: {e.Message}. Check the address and that the process serving it is running.", e);
            }

            throw;
        }

        DisableNagle(socket);
        return new SocketConnection(socket);
    }

    private static async ValueTask<IPAddress> LocalAddressAsync(TransportEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(endpoint.Host, out var literal))
        {
            return literal;
        }

        try
        {
            return (await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false)).FirstOrDefault()
                ?? throw new TransportException($"Cannot listen at {endpoint}: the host name has no address.");
        }
        catch (SocketException e)
        {
            throw new TransportException($"Cannot listen at {endpoint}: {e.Message}. Use an address of this machine.", e);
        }
    }

    private static void DisableNagle(Socket socket) => socket.NoDelay = true;

    private static void RequireTcp(TransportEndpoint endpoint)
    {
        if (endpoint.Kind != TransportKind.Tcp)
        {
            throw new ArgumentException($"{endpoint} is not a TCP endpoint (tcp:<host>:<port>).", nameof(endpoint));
        }
    }
}
