using System.Threading.Channels;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Handshake;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>
/// Listens at an endpoint, checks each connection's preamble, then sends every frame back. What
/// ended a connection (a refused preamble, a bad frame) is recorded; the server goes on.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly ITransportListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    // Every connection being served, so disposal can wait for them.
    private readonly List<Task> _serving = [];

    private EchoServer(ITransportListener listener)
    {
        _listener = listener;
        _accepting = AcceptLoopAsync();
    }

    public TransportEndpoint Endpoint => _listener.Endpoint;

    /// <summary>Why connections ended other than by their peer closing them, in order.</summary>
    public Channel<Exception> Failures { get; } = Channel.CreateUnbounded<Exception>();

    public static async Task<EchoServer> StartAsync(TransportEndpoint endpoint) =>
        new(await Transports.For(endpoint).ListenAsync(endpoint));

    public async Task<Exception> NextFailureAsync() =>
        await Failures.Reader.ReadAsync().AsTask().WaitAsync(TestEndpoints.Patience);

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            ITransportConnection transport;
            try
            {
                transport = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            lock (_serving)
            {
                _serving.Add(ServeAsync(transport));
            }
        }
    }

    private async Task ServeAsync(ITransportConnection transport)
    {
        await using var connection = new FrameConnection<byte[]>(transport, BytesCodec.Instance);
        try
        {
            await PreambleExchange.AcceptAsync(transport, TestEndpoints.Acceptor, _stop.Token);
            await connection.ReceiveAsync(connection.Send, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            Failures.Writer.TryWrite(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener.DisposeAsync();
        await _accepting;
        Task[] serving;
        lock (_serving)
        {
            serving = [.. _serving];
        }

        await Task.WhenAll(serving).WaitAsync(TestEndpoints.Patience);
        _stop.Dispose();
    }
}
