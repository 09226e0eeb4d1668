using Plexus.Protocol.Transport;

namespace Plexus.TestingHost;

/// <summary>Two ends of one in-memory connection, made through a listener of a transport of their own.</summary>
internal static class InMemoryPair
{
    public static (ITransportConnection Connector, ITransportConnection Acceptor) Create()
    {
        var transport = new InMemoryTransport();
        var endpoint = TransportEndpoint.Parse("mem:pair");
        var listener = transport.ListenAsync(endpoint).AsTask().GetAwaiter().GetResult();
        try
        {
            var connector = transport.ConnectAsync(endpoint).AsTask().GetAwaiter().GetResult();
            return (connector, listener.AcceptAsync().AsTask().GetAwaiter().GetResult());
        }
        finally
        {
            listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
