using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace Plexus.Protocol.Transport;

/// <summary>
/// Connections inside one process (<c>mem:name</c>): a pair of <see cref="Pipe"/>s per connection,
/// no sockets. For hosting several nodes in one test process; names are private to each instance,
/// so two hosts in one process do not see each other's endpoints.
/// </summary>
internal sealed class InMemoryTransport : ITransport
{
    // The listeners of this instance by endpoint name.
    private readonly ConcurrentDictionary<string, Listener> _listeners = new(StringComparer.Ordinal);

    /// <summary>The instance <see cref="Transports.For"/> gives for <c>mem:</c> endpoints.</summary>
    public static InMemoryTransport Shared { get; } = new();

    /// <inheritdoc />
    public ValueTask<ITransportListener> ListenAsync(TransportEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        RequireMemory(endpoint);
        var listener = new Listener(this, endpoint);
        if (!_listeners.TryAdd(endpoint.Host, listener))
        {
            throw new TransportException($"Cannot listen at {endpoint}: another listener in this process holds that name; choose another.");
        }

        return ValueTask.FromResult<ITransportListener>(listener);
    }

    /// <inheritdoc />
    public ValueTask<ITransportConnection> ConnectAsync(TransportEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        RequireMemory(endpoint);
        cancellationToken.ThrowIfCancellationRequested();
        var toListener = new Pipe();
        var toConnector = new Pipe();
        var connector = new Connection(toConnector.Reader, toListener.Writer);
        var accepted = new Connection(toListener.Reader, toConnector.Writer);
        if (!_listeners.TryGetValue(endpoint.Host, out var listener) || !listener.Offer(accepted))
        {
            throw new TransportException($"Nothing listens at {endpoint} in this process. Check that the listener was started first.");
        }

        return ValueTask.FromResult<ITransportConnection>(connector);
    }

    private static void RequireMemory(TransportEndpoint endpoint)
    {
        if (endpoint.Kind != TransportKind.Memory)
        {
            throw new ArgumentException($"{endpoint} is not an in-memory endpoint (mem:<name>).", nameof(endpoint));
        }
    }

    private sealed class Listener(InMemoryTransport owner, TransportEndpoint endpoint) : ITransportListener
    {
        // Connections made and not yet accepted.
        private readonly Channel<Connection> _backlog = Channel.CreateUnbounded<Connection>();

        public TransportEndpoint Endpoint { get; } = endpoint;

        public bool Offer(Connection connection) => _backlog.Writer.TryWrite(connection);

        public async ValueTask<ITransportConnection> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return await _backlog.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException e)
            {
                throw new ObjectDisposedException($"The listener at {Endpoint} is closed.", e);
            }
        }

        public async ValueTask DisposeAsync()
        {
            owner._listeners.TryRemove(new KeyValuePair<string, Listener>(Endpoint.Host, this));
            _backlog.Writer.TryComplete();
            // Connections nobody accepted are closed, so their connectors see the end.
            while (_backlog.Reader.TryRead(out var pending))
            {
                await pending.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class Connection(PipeReader input, PipeWriter output) : ITransportConnection
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;

        // Completing our writer ends the peer's reads. Our reader belongs to whoever reads it (a
        // frame connection's receive loop completes it): completing it here, under a read in
        // progress, would pull the buffer from under that reader; a pending read is woken instead.
        public async ValueTask DisposeAsync()
        {
            Input.CancelPendingRead();
            Output.CancelPendingFlush();
            await Output.CompleteAsync().ConfigureAwait(false);
        }
    }
}
