using System.Threading.Channels;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Handshake;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>A connection of raw-byte frames whose received frames are queued for the test to read.</summary>
internal sealed class FrameClient : IAsyncDisposable
{
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>();

    private FrameClient(ITransportConnection transport, FrameConnectionOptions? options)
    {
        Connection = new FrameConnection<byte[]>(transport, BytesCodec.Instance, options);
        Receiving = Connection.ReceiveAsync(frame => _received.Writer.TryWrite(frame));
    }

    public FrameConnection<byte[]> Connection { get; }

    /// <summary>The receive loop: how the connection ended.</summary>
    public Task Receiving { get; }

    /// <summary>Connects and presents <paramref name="preamble"/>; throws what the preamble throws.</summary>
    public static async Task<FrameClient> ConnectAsync(TransportEndpoint endpoint, ConnectionPreamble preamble, FrameConnectionOptions? options = null)
    {
        var transport = await Transports.For(endpoint).ConnectAsync(endpoint);
        try
        {
            await PreambleExchange.ConnectAsync(transport, preamble, endpoint.ToString());
        }
        catch
        {
            await transport.DisposeAsync();
            throw;
        }

        return new FrameClient(transport, options);
    }

    /// <summary>Wraps a connection whose preamble, if any, is done.</summary>
    public static FrameClient Over(ITransportConnection transport, FrameConnectionOptions? options = null) => new(transport, options);

    public async Task<byte[]> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(TestEndpoints.Patience);

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        try
        {
            await Receiving.WaitAsync(TestEndpoints.Patience);
        }
        catch (Exception e) when (e is MalformedFrameException or SendBufferOverflowException)
        {
            // The test asserts on how the connection ended where it matters.
        }
    }
}
