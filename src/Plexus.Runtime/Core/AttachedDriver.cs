using Plexus.Binding;
using Plexus.ObjectStore;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Handshake;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;
using Plexus.Protocol.Transport;

namespace Plexus.Core;

/// <summary>
/// A driver joined to a running node from another program: it connects to the node's socket,
/// presents the cluster token, maps the node's store and then runs a runtime like a worker's
/// (that runs no tasks). Disposing it disconnects; the node then ends what it owned.
/// </summary>
internal sealed class AttachedDriver : ClusterConnection
{
    private readonly FrameConnection<Message> _connection;
    private readonly SharedMemoryArena _arena;
    private readonly Task _receiving;

    private AttachedDriver(FrameConnection<Message> connection, SharedMemoryArena arena, CoreRuntime runtime, Task receiving)
    {
        _connection = connection;
        _arena = arena;
        Runtime = runtime;
        _receiving = receiving;
    }

    public CoreRuntime Runtime { get; }

    public static Task<AttachedDriver> ConnectAsync(ClusterAddress address, int inlineThreshold, bool recordCallSites, CancellationToken cancellationToken) =>
        ConnectAsync(TransportEndpoint.Unix(address.SocketName), address.Token, inlineThreshold, recordCallSites, JobId.NewRandom(), package: null, cancellationToken);

    /// <summary>
    /// Attaches to the node listening at <paramref name="endpoint"/> (any transport) as job
    /// <paramref name="job"/>, whose workers start from <paramref name="package"/> (null: the node's
    /// own workers run this program's code). Throws <see cref="InvalidOperationException"/> when
    /// nothing listens there. When the node closes the link while the runtime is open,
    /// <paramref name="explainDisconnect"/> (if given) is asked why the node went, within
    /// <see cref="ExplainTimeout"/>: the runtime closes with its answer, or says only that the
    /// connection closed when it has none (null); it must not throw.
    /// </summary>
    public static async Task<AttachedDriver> ConnectAsync(
        TransportEndpoint endpoint, string token, int inlineThreshold, bool recordCallSites, JobId job, string? package, CancellationToken cancellationToken,
        Func<CancellationToken, Task<Exception?>>? explainDisconnect = null)
    {
        FrameConnection<Message> connection;
        try
        {
            // Cluster 0: the address names a node, and this driver joins whichever cluster it is in.
            connection = await MessageConnection.ConnectAsync(endpoint,
                new ConnectionPreamble(0, 0, ProcessIncarnation.Current, token), cancellationToken).ConfigureAwait(false);
        }
        catch (TransportException e)
        {
            throw new InvalidOperationException($"No Plexus node listens at {endpoint}: {e.Message}", e);
        }

        var inbox = new EarlyMessages();
        var receiving = connection.ReceiveAsync(inbox.Deliver, CancellationToken.None);
        connection.Send(new Attach { Pid = Environment.ProcessId, Job = job, Package = package });
        Attached attached;
        try
        {
            attached = await inbox.Attached.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var arena = SharedMemoryArena.Open(attached.ArenaPath, attached.ArenaCapacity);
        var runtime = new CoreRuntime(job, new ProcessAddress(attached.NodeId, attached.Process), inlineThreshold, connection.Send,
            (requests, send) => new MessageStoreAccess(arena, attached.NodeId, requests, send), CapabilityKey.FromClusterToken(token))
        {
            RecordCallSites = recordCallSites,
        };
        inbox.Bind(runtime);
        return new AttachedDriver(connection, arena, runtime, CloseWhenDisconnectedAsync(receiving, runtime, explainDisconnect));
    }

    /// <summary>How long a driver waits to learn why its node closed the link before it closes saying only that.</summary>
    private static readonly TimeSpan ExplainTimeout = TimeSpan.FromSeconds(10);

    // Once the link ends, the runtime closes, with why the node went when that can be learnt. A
    // runtime closed already (disposed, which closes the link) keeps its reason.
    private static async Task CloseWhenDisconnectedAsync(Task receiving, CoreRuntime runtime, Func<CancellationToken, Task<Exception?>>? explain)
    {
        await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (runtime.IsClosed)
        {
            return;
        }

        Exception? why = null;
        try
        {
            if (explain is not null)
            {
                using var timeout = new CancellationTokenSource(ExplainTimeout);
                why = await explain(timeout.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            runtime.Close(why ?? new ObjectDisposedException("The connection to the Plexus node closed.", (Exception?)null));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        Runtime.Close(new ObjectDisposedException("The Plexus runtime was disposed.", (Exception?)null));
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _receiving.ConfigureAwait(false);
        _arena.Dispose();
    }

    // Until the runtime exists, the node's first answer is taken and anything after it is kept.
    private sealed class EarlyMessages
    {
        private readonly object _lock = new();
        private readonly List<Message> _early = [];
        private readonly TaskCompletionSource<Attached> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CoreRuntime? _runtime;

        public Task<Attached> Attached => _attached.Task;

        public void Deliver(Message message)
        {
            lock (_lock)
            {
                if (_runtime is null)
                {
                    if (message is Attached attached)
                    {
                        _attached.TrySetResult(attached);
                    }
                    else
                    {
                        _early.Add(message);
                    }

                    return;
                }
            }

            _runtime.Deliver(message);
        }

        public void Bind(CoreRuntime runtime)
        {
            lock (_lock)
            {
                _runtime = runtime;
                foreach (var message in _early)
                {
                    runtime.Deliver(message);
                }

                _early.Clear();
            }
        }
    }
}
