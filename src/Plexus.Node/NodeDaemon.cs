using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.ObjectStore;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Handshake;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Transport;

namespace Plexus.Node;

/// <summary>
/// The daemon of one machine: it owns the shared-memory object store, starts and watches the
/// worker pool, schedules tasks onto workers and routes messages between the runtimes on the
/// node (a worker's finished task to its owner, a request for an object to the object's owner).
/// </summary>
public sealed partial class NodeDaemon : IAsyncDisposable
{
    private readonly NodeOptions _options;
    private readonly Func<WorkerLaunchContext, ProcessStartInfo> _launch;
    private readonly ILogger _logger;
    private readonly LocalObjectStore _store;
    private readonly SpillDirectory _spills;
    private readonly NodeObjectStore _objects;
    private readonly TaskDispatcher _dispatcher;
    // Wakes the pressure loop when requests wait or usage passes high water.
    private readonly WakeSignal _wake = new();
    // Accepts the node's connections; bound by StartAsync (a node without workers has none).
    private ITransportListener? _listener;
    private readonly CancellationTokenSource _stopping = new();
    // What this node presents to, and expects of, each connecting process.
    private readonly ConnectionPreamble _preamble;
    private readonly int _workerCount;
    private readonly int _slotsPerWorker;

    // Guards every field below, and the scheduler.
    private readonly object _lock = new();
    // Every runtime on the node that can receive messages, by process number.
    private readonly Dictionary<int, IProcessLink> _links = [];
    // Worker processes started and not yet connected, by process number.
    private readonly Dictionary<int, Process> _starting = [];
    // Store pins taken by each process through PinObject (id and version offset), released if the process dies.
    private readonly Dictionary<int, List<(ObjectId Id, long Offset)>> _pinsByProcess = [];
    // Object requests forwarded to an owner and not yet answered: the requester is told if the owner dies.
    private readonly Dictionary<(int Requester, long RequestId), (int Owner, ObjectId Object)> _openRequests = [];
    // Restores reading from disk now; the arena is not unmapped before they end.
    private readonly HashSet<Task> _restoring = [];
    // Object descriptions asked of a runtime and not answered yet: the requester gets an empty answer if the target dies.
    private readonly Dictionary<(int Requester, long RequestId), int> _openDescribes = [];
    // The collection round under way, if any, and the number of the last one started.
    private PressureRound? _round;
    private long _roundNumber;
    // Stopwatch timestamps: when the last round ended; before when no spill pass may start (after a failure).
    private long _lastRoundEnded;
    private long _spillRetryAt;
    private Task _pressureLoop = Task.CompletedTask;
    private int _nextProcess = 1;
    // Worker processes that exited before joining, in a row; reset when one joins.
    private int _failedStarts;
    // Why the pool could not start, reported by StartAsync; set once the pool has started too.
    private string? _startFailure;
    private bool _started;
    private bool _disposed;

    private NodeDaemon(NodeOptions options, Func<WorkerLaunchContext, ProcessStartInfo> launch, ILoggerFactory loggerFactory)
    {
        _options = options;
        _launch = launch;
        _logger = loggerFactory.CreateLogger<NodeDaemon>();
        NodeId = (ulong)Random.Shared.NextInt64() | 1;
        _workerCount = Math.Max(1, options.WorkerCount ?? options.Cpus);
        _slotsPerWorker = Math.Max(1, options.Cpus / _workerCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CreateTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SpillHighWater);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SpillHighWater, 1.0);
        _store = new LocalObjectStore(options.StoreCapacity, options.StoreDirectory);
        var spillRoot = options.SpillDirectory ?? Path.GetTempPath();
        // Directories of nodes that died without removing theirs (killed, or ended by a signal).
        SpillDirectoryOwner.RemoveAbandoned(spillRoot);
        _spills = new SpillDirectory(Path.Combine(spillRoot, $"{SpillDirectoryOwner.DirectoryPrefix}{NodeId:x16}"));
        _objects = new NodeObjectStore(_store, _spills, new NodeObjectStore.Settings(options.CreateTimeout, options.SpillHighWater, options.SpillEnabled),
            _logger, _wake.Set, StartRestore);
        _dispatcher = new TaskDispatcher(_objects, _slotsPerWorker, options.PipelineDepth);
        SocketName = $"plexus-node-{NodeId:x16}";
        // A node is its own cluster until nodes join one another: the cluster bears the node's id.
        _preamble = new ConnectionPreamble(NodeId, NodeId, ProcessIncarnation.Current, options.ClusterToken);
        // A program that returns from Main without disposing its runtime still removes its spill
        // files; a signal's default action ends the process before this runs (workers clean up then).
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>This node's random id.</summary>
    public ulong NodeId { get; }

    /// <summary>The shared secret a process must present to join this node.</summary>
    public string ClusterToken => _options.ClusterToken;

    /// <summary>The abstract Unix socket name workers connect to.</summary>
    public string SocketName { get; }

    /// <summary>The store's shared memory, mapped in this process.</summary>
    public SharedMemoryArena Arena => _store.Arena;

    /// <summary>Bytes of the store in use.</summary>
    public long StoreUsed => _store.Used;

    /// <summary>Objects in the store (being written, in memory or spilled).</summary>
    public int StoreObjectCount => Locked(() => _store.ObjectCount);

    /// <summary>The operating-system process ids of the connected workers.</summary>
    public IReadOnlyList<int> WorkerPids
    {
        get
        {
            lock (_lock)
            {
                return [.. _dispatcher.Workers.Values.Select(w => w.OsProcess?.Id ?? 0)];
            }
        }
    }

    /// <summary>
    /// Starts the daemon and its worker pool, and returns once every worker has joined.
    /// Throws <see cref="TimeoutException"/> if they do not join within <paramref name="startTimeout"/>,
    /// or <see cref="InvalidOperationException"/> if a worker process exits while starting.
    /// </summary>
    public static async Task<NodeDaemon> StartAsync(
        NodeOptions options,
        Func<WorkerLaunchContext, ProcessStartInfo> launch,
        TimeSpan startTimeout,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        var node = new NodeDaemon(options, launch, loggerFactory ?? NullLoggerFactory.Instance);
        try
        {
            node._pressureLoop = Task.Run(node.RelievePressureAsync, CancellationToken.None);
            // An abstract socket name: nothing on disk to clean up, even after kill -9.
            node._listener = await UnixSocketTransport.Instance.ListenAsync(TransportEndpoint.Unix(node.SocketName), cancellationToken).ConfigureAwait(false);
            _ = node.AcceptLoopAsync(node._listener);
            for (var i = 0; i < node._workerCount; i++)
            {
                node.StartWorker();
            }

            await node.WaitForWorkersAsync(node._workerCount, startTimeout, cancellationToken).ConfigureAwait(false);
            node._logger.NodeStarted(node.NodeId, options.Cpus, node._workerCount, options.StoreCapacity);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts a node with its store and no worker pool: for tests of the store, which talk to it
    /// as the driver (direct calls and <see cref="AttachDriver"/>).
    /// </summary>
    internal static NodeDaemon StartWithoutWorkers(NodeOptions options, ILoggerFactory? loggerFactory = null)
    {
        var node = new NodeDaemon(options, _ => throw new InvalidOperationException("This node starts no workers."), loggerFactory ?? NullLoggerFactory.Instance);
        node._started = true;
        node._pressureLoop = Task.Run(node.RelievePressureAsync, CancellationToken.None);
        return node;
    }

    // Another driver program joins the cluster: a runtime like a worker's, that runs no tasks.
    private int AdmitDriver(FrameConnection<Message> connection, Attach attach)
    {
        int process;
        lock (_lock)
        {
            process = _nextProcess++;
            _links[process] = new SocketProcessLink(process, connection);
        }

        connection.Send(new Attached { Process = process, NodeId = NodeId, ArenaPath = Arena.OpenPath, ArenaCapacity = Arena.Capacity });
        _logger.DriverAttached(process, attach.Pid);
        return process;
    }

    /// <summary>
    /// Connects the driver embedded in this process; the returned action sends its messages to the node.
    /// </summary>
    public Action<Message> AttachDriver(Action<Message> deliver)
    {
        lock (_lock)
        {
            _links[ProcessAddress.DriverProcess] = new InProcessLink(ProcessAddress.DriverProcess, deliver);
        }

        return message => Receive(ProcessAddress.DriverProcess, message);
    }

    private async Task AcceptLoopAsync(ITransportListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            ITransportConnection transport;
            try
            {
                transport = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeConnectionAsync(transport);
        }
    }

    private async Task ServeConnectionAsync(ITransportConnection transport)
    {
        var connection = MessageConnection.Open(transport);
        var process = -1;
        try
        {
            // The cluster token and protocol version are checked here, before any message.
            await PreambleExchange.AcceptAsync(transport, _preamble, _stopping.Token).ConfigureAwait(false);
            await connection.ReceiveAsync(message =>
            {
                if (process < 0)
                {
                    process = Admit(connection, message);
                    return;
                }

                Receive(process, message);
            }, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MalformedFrameException or ProtocolViolationException or SendBufferOverflowException)
        {
            _logger.ConnectionBroken(process, e.Message);
        }
        catch (Exception e) when (e is RefusedConnectionException or PeerRefusedException)
        {
            _logger.ConnectionRefused(e.Message);
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
        catch (Exception e)
        {
            // A fault in the node's own handling: this connection ends, the node goes on.
            _logger.ConnectionFailed(process, e);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (process > 0)
            {
                // A pool worker's tasks fail naming its exit code, known once the process is reaped.
                if (Locked(() => _dispatcher.Workers.GetValueOrDefault(process)?.OsProcess) is { } os)
                {
                    await WorkerExit.WaitAsync(os, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }

                OnProcessDied(process);
            }
        }
    }

    private int Admit(FrameConnection<Message> connection, Message first)
    {
        if (first is Attach attach)
        {
            return AdmitDriver(connection, attach);
        }

        if (first is not Hello hello)
        {
            throw new RefusedConnectionException($"the first message was {first.GetType().Name}, not Hello");
        }

        var outbox = NewOutbox();
        lock (_lock)
        {
            if (!_starting.Remove(hello.Process, out var os) || _links.ContainsKey(hello.Process))
            {
                throw new RefusedConnectionException($"process {hello.Process} was not started by this node");
            }

            var link = new SocketProcessLink(hello.Process, connection);
            _links[hello.Process] = link;
            if (_actors.ProcessJoined(hello.Process, os) is { } waiting)
            {
                // A dedicated actor's process: it runs that actor only.
                foreach (var message in waiting)
                {
                    outbox.Add(link, message);
                }
            }
            else
            {
                _failedStarts = 0;
                _dispatcher.AddWorker(hello.Process, new WorkerState(link, os));
                PlaceWaitingActors(outbox);
                _dispatcher.Dispatch(outbox);
            }
        }

        outbox.Flush();
        return hello.Process;
    }

    private Outbox NewOutbox() => new(process => _links.GetValueOrDefault(process));

    private void OnProcessExit(object? sender, EventArgs e) => _spills.Remove();

    private sealed class RefusedConnectionException(string message) : Exception(message);
}
