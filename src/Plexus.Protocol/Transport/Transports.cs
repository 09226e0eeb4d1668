namespace Plexus.Protocol.Transport;

/// <summary>Picks the transport that serves an endpoint.</summary>
internal static class Transports
{
    /// <summary>
    /// The transport for <paramref name="endpoint"/>'s kind: <see cref="UnixSocketTransport"/>,
    /// <see cref="TcpTransport"/>, or <see cref="InMemoryTransport.Shared"/>.
    /// </summary>
    public static ITransport For(TransportEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Kind switch
        {
            TransportKind.Unix => UnixSocketTransport.Instance,
            TransportKind.Tcp => TcpTransport.Instance,
            _ => InMemoryTransport.Shared,
        };
    }
}
