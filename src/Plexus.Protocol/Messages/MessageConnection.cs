using Plexus.Protocol.Framing;
using Plexus.Protocol.Handshake;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Messages;

/// <summary>Opens connections that carry the node protocol's <see cref="Message"/>s.</summary>
internal static class MessageConnection
{
    /// <summary>
    /// Connects to <paramref name="endpoint"/>, presents <paramref name="preamble"/> and returns the
    /// connection once the other side accepted it. Throws <see cref="TransportException"/> when
    /// nothing listens there, and the preamble's errors (<see cref="PreambleExchange.ConnectAsync"/>)
    /// when refused; the connection is closed then.
    /// </summary>
    public static async Task<FrameConnection<Message>> ConnectAsync(TransportEndpoint endpoint, ConnectionPreamble preamble, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var transport = await Transports.For(endpoint).ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        try
        {
            await PreambleExchange.ConnectAsync(transport, preamble, endpoint.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return Open(transport);
    }

    /// <summary>A message connection over a transport connection whose preamble is done.</summary>
    public static FrameConnection<Message> Open(ITransportConnection transport) => new(transport, MessageCodec.Instance);
}
