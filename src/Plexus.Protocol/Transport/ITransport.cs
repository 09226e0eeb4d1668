using System.IO.Pipelines;

namespace Plexus.Protocol.Transport;

/// <summary>
/// Opens byte-stream connections of one kind (Unix sockets, TCP, in-process pipes); the framed
/// protocol runs over any of them the same way.
/// </summary>
internal interface ITransport
{
    /// <summary>
    /// Starts listening at <paramref name="endpoint"/>. Throws <see cref="TransportException"/> when
    /// the endpoint is taken or cannot be bound, <see cref="ArgumentException"/> when it is not of
    /// this transport's kind.
    /// </summary>
    ValueTask<ITransportListener> ListenAsync(TransportEndpoint endpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Connects to <paramref name="endpoint"/>. Throws <see cref="TransportException"/> when nothing
    /// listens there, <see cref="ArgumentException"/> when it is not of this transport's kind.
    /// </summary>
    ValueTask<ITransportConnection> ConnectAsync(TransportEndpoint endpoint, CancellationToken cancellationToken = default);
}

/// <summary>Accepts the connections made to one endpoint until disposed.</summary>
internal interface ITransportListener : IAsyncDisposable
{
    /// <summary>Where this listener is reachable (for TCP, with the port the system chose).</summary>
    TransportEndpoint Endpoint { get; }

    /// <summary>
    /// Waits for the next connection. Throws <see cref="ObjectDisposedException"/> once the listener
    /// is disposed and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    ValueTask<ITransportConnection> AcceptAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// One open connection: a pipe each way. Disposing it closes both directions; the peer's reader
/// then completes. Reading and writing follow the <see cref="IDuplexPipe"/> rules (one reader,
/// one writer at a time).
/// </summary>
internal interface ITransportConnection : IDuplexPipe, IAsyncDisposable;
