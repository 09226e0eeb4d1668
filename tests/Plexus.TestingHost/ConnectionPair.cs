using Plexus.Protocol.Transport;

namespace Plexus.TestingHost;

/// <summary>
/// Two ends of one connection, made through a listener of its own: in memory, or over TCP on the
/// loopback address (the sockets, kernel copies and buffers of a link between machines).
/// </summary>
internal static class ConnectionPair
{
    public static (ITransportConnection Connector, ITransportConnection Acceptor) Create(bool overTcp = false) =>
        overTcp ? Create(TcpTransport.Instance, "tcp:127.0.0.1:0") : Create(new InMemoryTransport(), "mem:pair");

    private static (ITransportConnection Connector, ITransportConnection Acceptor) Create(ITransport transport, string address)
    {
        var listener = transport.ListenAsync(TransportEndpoint.Parse(address)).AsTask().GetAwaiter().GetResult();
        try
        {
            var connector = transport.ConnectAsync(listener.Endpoint).AsTask().GetAwaiter().GetResult();
            return (connector, listener.AcceptAsync().AsTask().GetAwaiter().GetResult());
        }
        finally
        {
            listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
