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
internal sealed partial class NodeDaemon : IAsyncDisposable
{
    // How long a worker whose connection closed may take to be reaped, so that its exit code is known.
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(5);
    // How long a new connection may take to present its preamble (a worker sends it at once).
    private static readonly TimeSpan PreambleTimeout = TimeSpan.FromSeconds(10);
    // How long a worker told to shut down may take before it is killed.
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);

    private readonly NodeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LocalAddresses _addresses;
    // The owners the objects in this node's store carry, by number.
    private readonly ObjectOwners _owners;
    // This node's own address: the target of messages for the node rather than a runtime on it.
    private readonly ProcessAddress _address;
    private readonly LocalObjectStore _store;
    private readonly SpillDirectory _spills;
    // Wakes the pressure loop when requests wait or usage passes high water.
    private readonly WakeSignal _wake;
    private readonly ProcessStarter _starter;
    private readonly PressureLoop _pressureLoop;
    // Accepts the node's connections; bound by StartAsync (a node without workers has none).
    private ITransportListener? _listener;
    // What this node presents to, and expects of, each connecting process.
    private readonly ConnectionPreamble _preamble;
    private readonly CancellationTokenSource _stopping = new();

    // Guards every part below, and _disposed: each part is called under it and returns its messages in an Outbox.
    private readonly object _lock = new();
    private readonly ProcessTable _processes = new();
    private readonly NodeObjectStore _objectStore;
    private readonly TaskDispatcher _scheduler;
    private readonly ActorManager _actors;
    // Where actor names are kept: the node's own, or the cluster's (NodeOptions.ActorRegistry).
    private readonly IActorRegistry _names;
    private readonly WorkerPool _pool;
    private readonly ObjectManager _objects;
    private readonly RestoreRunner _restores;
    private readonly PressureController _pressure;
    private readonly PeerLinks _peers = new();
    // The summaries of reference tables asked of this node's runtimes and not answered yet.
    private readonly ReferenceSummaryRequests _referenceSummaries = new();
    // The node's metrics; null when NodeOptions.Telemetry is off.
    private readonly NodeMetrics? _metrics;
    // The steps of tasks and actor calls, until the next report takes them.
    private readonly TaskEventRecorder _events;
    private readonly Router _router;
    // Which job's ids each runtime may name (see Access/JobAccess).
    private readonly JobAccess _access;
    // Passes workers' task log entries to their jobs' drivers.
    private readonly TaskLogRelay _taskLogs;
    private readonly ClusterPlacement _placement;
    // Workers in the pool of each job package (one per CPU slot).
    private readonly int _packageWorkers;
    private Task _pressureLoopRun = Task.CompletedTask;
    private bool _disposed;

    private NodeDaemon(NodeOptions options, Func<WorkerLaunchContext, ProcessStartInfo> launch, ILoggerFactory loggerFactory)
    {
        _options = options;
        _time = options.TimeProvider;
        _logger = loggerFactory.CreateLogger<NodeDaemon>();
        NodeId = (ulong)Random.Shared.NextInt64() | 1;
        SocketName = $"plexus-node-{NodeId:x16}";
        var workerCount = Math.Max(0, options.WorkerCount ?? options.Cpus);
        // A cluster's node has only packages' pools, of one CPU slot per worker.
        var slotsPerWorker = workerCount == 0 ? 1 : Math.Max(1, options.Cpus / workerCount);
        // A node offering no CPUs (a driver's own) is given no work, so its packages' pools start no workers.
        _packageWorkers = options.Cpus;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CreateTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SpillHighWater);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SpillHighWater, 1.0);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        if (options.WorkerIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.WorkerIdleTimeout, TimeSpan.Zero, nameof(options.WorkerIdleTimeout));
        }

        _addresses = new LocalAddresses(NodeId);
        _owners = new ObjectOwners(_addresses);
        _address = _addresses.Node;
        _access = new JobAccess(Protocol.Security.CapabilityKey.FromClusterToken(options.ClusterToken));
        _router = new Router(_addresses, _processes, _peers);
        _taskLogs = new TaskLogRelay(_address);
        _processes.Route = _router.LinkTo;
        _store = new LocalObjectStore(options.StoreCapacity, options.StoreDirectory);
        var spillRoot = options.SpillDirectory ?? Path.GetTempPath();
        // Directories of nodes that died without removing theirs (killed, or ended by a signal).
        SpillDirectoryOwner.RemoveAbandoned(spillRoot);
        _spills = new SpillDirectory(Path.Combine(spillRoot, $"{SpillDirectoryOwner.DirectoryPrefix}{NodeId:x16}"));
        _wake = new WakeSignal(_time);
        _objectStore = new NodeObjectStore(_store, _spills, new NodeObjectStore.Settings(options.CreateTimeout, options.SpillHighWater, options.SpillEnabled),
            _time, _logger, _wake.Set, StartRestore);
        _metrics = options.Telemetry ? new NodeMetrics(NodeId, _time) : null;
        ArgumentOutOfRangeException.ThrowIfNegative(options.TaskEventCapacity);
        _events = options.Telemetry && options.RecordTaskEvents ? new TaskEventRecorder(options.TaskEventCapacity, _time) : TaskEventRecorder.Disabled;
        _scheduler = new TaskDispatcher(_objectStore, slotsPerWorker, new LeastLoadedPlacement(slotsPerWorker, options.PipelineDepth), PackageOf, _addresses,
            NewResourceLedger(workerCount * slotsPerWorker))
        {
            PullArgument = (id, node, whenDone, outbox) => Transfers.Pull(id, node, whenDone, outbox),
            WorkerWanted = (package, free, outbox) => PoolOf(package)?.Grow(free, outbox),
            Latency = _metrics?.Latency,
            Activity = _metrics?.Activity,
            Events = _events,
        };
        _placement = NewPlacement(slotsPerWorker);
        _names = options.ActorRegistry ?? new LocalActorRegistry();
        _actors = new ActorManager(_addresses, _processes, _scheduler, StartActorProcess, PackageOf, _names,
            options.ActorSupervisor ?? new LocalActorSupervisor(), Locked, _logger)
        {
            Events = _events,
        };
        _pool = new WorkerPool(workerCount, _processes, _scheduler, _actors, process => StartProcess(process, null), StartPoolWorker, _time, _logger,
            options.WorkerIdleTimeout);
        _starter = new ProcessStarter(_lock, launch, (process, package) => new WorkerLaunchContext(
                process, NodeId, SocketName, _store.Arena.OpenPath, _store.Arena.Capacity, _options.ClusterToken, slotsPerWorker, _spills.Path, package),
            _processes, PoolOf, _actors, _logger, ForwardWorkerOutput);
        _objects = new ObjectManager(_objectStore, _store, _scheduler, _processes, _owners, _time);
        _restores = new RestoreRunner(_lock, _objectStore, _store, _spills, _processes, _time, _logger);
        _pressure = new PressureController(_objectStore, _processes, _spills, _objects.DescribePins, _time, _logger);
        _pressureLoop = new PressureLoop(_lock, _pressure, _wake, _processes, _store, _spills, _time, _logger);
        // A node is its own cluster until nodes join one another: the cluster bears the node's id.
        // The daemon's incarnation, not the process's: a node restarted in the same process is a new node.
        _preamble = new ConnectionPreamble(options.ClusterId ?? NodeId, NodeId, Incarnation, options.ClusterToken);
        // Last: a listener may read the instruments as soon as they exist, and they read every part.
        _metrics?.Observe(this);
        // A program that returns from Main without disposing its runtime still removes its spill
        // files; a signal's default action ends the process before this runs (workers clean up then).
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>This node's random id.</summary>
    public ulong NodeId { get; }

    /// <summary>
    /// This daemon's incarnation, presented in every link's preamble and registered with the
    /// control service: its node id, drawn at random for each daemon, so a daemon started again
    /// (after its node was declared dead) is a new node, never the old one back.
    /// </summary>
    public ulong Incarnation => NodeId;

    /// <summary>The shared secret a process must present to join this node.</summary>
    public string ClusterToken => _options.ClusterToken;

    /// <summary>The key of the cluster's capability tags, for the runtimes in this node's own process.</summary>
    public Protocol.Security.CapabilityKey Capabilities => _access.Key;

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
                return [.. PoolWorkers.Select(w => _processes.OsProcessOf(w)?.Id ?? 0)];
            }
        }
    }

    /// <summary>The process numbers of the connected workers.</summary>
    public IReadOnlyList<int> WorkerProcesses => Locked(() => PoolWorkers.ToList());

    // The pools' joined workers: those taking work, and those asked to stop as idle that have not answered. Under the lock.
    private IEnumerable<int> PoolWorkers => _scheduler.Workers.Keys.Concat(Pools.SelectMany(pool => pool.AskedToStop));

    /// <summary>The process number of the worker whose operating-system process id is <paramref name="pid"/>; -1 if none.</summary>
    public int WorkerProcessOfPid(int pid) =>
        Locked(() => _scheduler.Workers.Keys.Where(w => _processes.OsProcessOf(w)?.Id == pid).DefaultIfEmpty(-1).First());

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
            node.StartPressureLoop();
            node.StartIdleSweeps();
            // An abstract socket name: nothing on disk to clean up, even after kill -9.
            node._listener = await UnixSocketTransport.Instance.ListenAsync(TransportEndpoint.Unix(node.SocketName), cancellationToken).ConfigureAwait(false);
            _ = node.AcceptLoopAsync(node._listener);
            node.Locked(node._pool.Start);
            await node.WaitForWorkersAsync(startTimeout, cancellationToken).ConfigureAwait(false);
            node._logger.NodeStarted(node.NodeId, options.Cpus, node._pool.Size, options.StoreCapacity);
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
    /// as the driver (direct calls and <see cref="AttachDriver(Action{Message}, JobId?)"/>).
    /// </summary>
    internal static NodeDaemon StartWithoutWorkers(NodeOptions options, ILoggerFactory? loggerFactory = null)
    {
        var node = new NodeDaemon(options, _ => throw new InvalidOperationException("This node starts no workers."), loggerFactory ?? NullLoggerFactory.Instance);
        node.StartPressureLoop();
        return node;
    }

    /// <summary>
    /// Accepts runtimes that attach on <paramref name="listener"/> (preamble with the cluster
    /// token, then <see cref="Attach"/>), as the node's own socket does; the node closes it when
    /// it stops. For hosts of several nodes in one process (the in-memory transport).
    /// </summary>
    internal void AcceptOn(ITransportListener listener)
    {
        _listener = listener;
        _ = AcceptLoopAsync(listener);
    }

    // Called through the outbox, after the lock is released: the store gave a spilled object room to come back to.
    private void StartRestore(StoredObject stored) => _restores.Start(stored);

    private void StartPressureLoop() => _pressureLoopRun = Task.Run(() => _pressureLoop.RunAsync(_stopping.Token), CancellationToken.None);

    // The pools shrink back to their sizes: a sweep for idle workers every quarter of the timeout
    // (see IdleWorkers), on a timer of its own, until the node stops.
    private void StartIdleSweeps()
    {
        if (_options.WorkerIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            _ = SweepIdleWorkersAsync(IdleWorkers.SweepPeriod(_options.WorkerIdleTimeout));
        }
    }

    private async Task SweepIdleWorkersAsync(TimeSpan period)
    {
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    Locked(outbox =>
                    {
                        foreach (var pool in Pools)
                        {
                            pool.StopIdleWorkers(outbox);
                        }
                    });
                }
                catch (Exception e)
                {
                    _logger.IdleSweepFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }

    private async Task WaitForWorkersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _pool.Ready.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {WorkerProcesses.Count} of {_pool.Size} workers joined within {timeout}.");
        }
    }

    // Called through the outbox, after the lock is released: a pool worker or an actor's dedicated process.
    private void StartProcess(int process, string? package) => _starter.Start(process, package);

    // An actor's dedicated process starts once its job package is ready here, as the package's pool
    // workers do: a creation forwarded from a peer may arrive while the package is still fetched.
    // Called after the lock is released.
    private void StartActorProcess(int process, string? package)
    {
        var pool = package is null ? null : Locked(() => _packagePools.GetValueOrDefault(package));
        if (pool is null || pool.Ready.IsCompleted)
        {
            StartProcess(process, package);
            return;
        }

        _ = pool.Ready.ContinueWith(
            ready =>
            {
                if (ready.IsCompletedSuccessfully)
                {
                    StartProcess(process, package);
                }
                else
                {
                    Locked(outbox => _actors.OnStartFailed(process, $"its job package {package} could not be made ready on this node", outbox));
                }
            },
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    // A delayed restart of a pool worker whose start failed.
    private void StartPoolWorker() => Locked(_pool.Restart);

    // Another driver program joins the cluster: a runtime like a worker's, that runs no tasks.
    private int AdmitDriver(FrameConnection<Message> connection, Attach attach)
    {
        int process;
        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            process = _processes.NextProcessNumber();
            _access.DriverAttached(process, attach.Job);
            _taskLogs.DriverAttached(attach.Job, _addresses.Of(process));
            if (attach.Package is { } package)
            {
                UseJobPackage(attach.Job, package, outbox, _addresses.Of(process));
            }

            _processes.ConnectDriver(new SocketProcessLink(process, connection), attach.Pid);
        }

        outbox.Flush();
        connection.Send(new Attached { Process = process, NodeId = NodeId, ArenaPath = Arena.OpenPath, ArenaCapacity = Arena.Capacity });
        _logger.DriverAttached(process, attach.Pid);
        return process;
    }

    /// <summary>
    /// Connects the driver embedded in this process, of job <paramref name="job"/> when given (it is
    /// shown its tasks' log entries); the returned action sends its messages to the node.
    /// </summary>
    public Action<Message> AttachDriver(Action<Message> deliver, JobId? job = null) => ConnectDriverInProcess(deliver, job, package: null);

    /// <summary>
    /// Connects the driver in this process of job <paramref name="job"/>, whose code is in
    /// <paramref name="package"/> (the package the cluster's nodes start its workers from);
    /// the returned action sends its messages to the node.
    /// </summary>
    public Action<Message> AttachDriver(Action<Message> deliver, JobId job, string package) => ConnectDriverInProcess(deliver, job, package);

    private Action<Message> ConnectDriverInProcess(Action<Message> deliver, JobId? job, string? package)
    {
        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            if (job is { } id)
            {
                _taskLogs.DriverAttached(id, _addresses.Of(ProcessAddress.DriverProcess));
            }

            if (job is { } jobId && package is not null)
            {
                UseJobPackage(jobId, package, outbox, _addresses.Of(ProcessAddress.DriverProcess));
            }

            _processes.ConnectDriver(new InProcessLink(ProcessAddress.DriverProcess, deliver), Environment.ProcessId);
        }

        outbox.Flush();
        return message => Receive(ProcessAddress.DriverProcess, message);
    }

    private Task AcceptLoopAsync(ITransportListener listener) => AcceptLoop.RunAsync(
        listener, ServeConnectionAsync, e => _logger.ConnectionRefused($"accepting a connection failed: {e.Message}"), _time, _stopping.Token);

    private async Task ServeConnectionAsync(ITransportConnection transport)
    {
        var connection = MessageConnection.Open(transport);
        var process = -1;
        // A connection that never presents itself must not hold its socket until the node stops.
        using var handshake = new CancellationTokenSource(PreambleTimeout, _time);
        try
        {
            // The cluster token and protocol version are checked here, before any message.
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(handshake.Token, _stopping.Token))
            {
                await PreambleExchange.AcceptAsync(transport, _preamble, either.Token).ConfigureAwait(false);
            }

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
        catch (Exception e) when (IsBrokenConnection(e))
        {
            _logger.ConnectionBroken(process, e.Message);
        }
        catch (Exception e) when (e is RefusedConnectionException or PeerRefusedException)
        {
            _logger.ConnectionRefused(e.Message);
        }
        catch (OperationCanceledException) when (process < 0 && handshake.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            _logger.ConnectionRefused($"a connection sent no preamble within {PreambleTimeout.TotalSeconds:F0} s");
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
            await CloseAsync(connection, process).ConfigureAwait(false);
            if (process > 0)
            {
                // A pool worker's tasks fail naming its exit code, known once the process is reaped.
                if (Locked(() => _processes.OsProcessOf(process)) is { } os)
                {
                    await WorkerExit.WaitAsync(os, ReapTimeout, _time).ConfigureAwait(false);
                }

                OnProcessDied(process);
            }
        }
    }

    // Closing a connection must not stop what follows it (a dead process's cleanup, a lost peer's).
    private async Task CloseAsync(FrameConnection<Message> connection, int process)
    {
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.ConnectionFailed(process, e);
        }
    }

    private static bool IsBrokenConnection(Exception e) => e is MalformedFrameException or ProtocolViolationException or SendBufferOverflowException;

    /// <summary>
    /// Links this node to another over a new connection, this side connecting: it presents its
    /// preamble (version, cluster, node, incarnation, token) and learns the peer's node id from the
    /// answer. Throws the refusal (<see cref="InvalidClusterTokenException"/>,
    /// <see cref="ClusterMismatchException"/>, <see cref="ProtocolVersionMismatchException"/>)
    /// and makes no link when the peer refuses, and <see cref="PeerRefusedException"/> when the
    /// view lists the peer DEAD or with another incarnation.
    /// </summary>
    internal async Task<ulong> ConnectPeerAsync(ITransportConnection transport, string endpoint, CancellationToken cancellationToken = default)
    {
        var peer = await PreambleExchange.ConnectAsync(transport, _preamble, endpoint, cancellationToken).ConfigureAwait(false);
        RefuseFencedPeer(peer);
        await LinkPeerAsync(peer.NodeId, transport).ConfigureAwait(false);
        return peer.NodeId;
    }

    /// <summary>
    /// Links this node to another over a new connection, this side accepting: the peer's preamble
    /// must carry this cluster's token, id and protocol version (else it is told why and
    /// <see cref="PeerRefusedException"/> is thrown, with no link made), and come from a node the
    /// view does not list DEAD or with another incarnation (else the same exception).
    /// </summary>
    internal async Task<ulong> AcceptPeerAsync(ITransportConnection transport, CancellationToken cancellationToken = default)
    {
        var peer = await PreambleExchange.AcceptAsync(transport, _preamble, cancellationToken).ConfigureAwait(false);
        RefuseFencedPeer(peer);
        await LinkPeerAsync(peer.NodeId, transport).ConfigureAwait(false);
        return peer.NodeId;
    }

    // A node the cluster declared dead (or another incarnation of one it lists) is fenced: it may
    // still run processes this node counted as dead, so it links to nobody until it rejoins as a new node.
    private void RefuseFencedPeer(ConnectionPreamble peer)
    {
        if (Locked(() => _view.FencingReason(peer.NodeId, peer.Incarnation)) is { } reason)
        {
            throw new PeerRefusedException($"Refused a link from node {peer.NodeId:x16}: {reason}.");
        }
    }

    // Serves the link; a second link to a node already linked (or to this node) is closed, not leaked.
    private async Task LinkPeerAsync(ulong peer, ITransportConnection transport)
    {
        var connection = MessageConnection.Open(transport);
        try
        {
            _ = ServePeerAsync(peer, connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The nodes this node has a link to.</summary>
    internal int PeerCount => Locked(() => _peers.All.Count());

    /// <summary>
    /// The peers this node was linked to, lost the link to, and still sees listed ALIVE: reported
    /// with each heartbeat, so the control service declares a killed node dead at once instead of
    /// after the timeout (and settles a link that stays broken between two live nodes).
    /// </summary>
    public IReadOnlyList<ulong> UnreachablePeers() => Locked(() => (IReadOnlyList<ulong>)[.. _view.UnreachableNodes]);

    /// <summary>
    /// Connects peer node <paramref name="peer"/> over <paramref name="connection"/> (its preamble
    /// done) and serves it until it closes; then every request routed to the peer's processes
    /// fails. Throws <see cref="InvalidOperationException"/> if that peer is connected already.
    /// </summary>
    private Task ServePeerAsync(ulong peer, FrameConnection<Message> connection)
    {
        Locked(outbox =>
        {
            var link = new PeerLink(connection);
            if (peer == NodeId || !_peers.Add(peer, link))
            {
                throw new InvalidOperationException($"Node {peer:x16} is this node or is connected already.");
            }

            _view.Reachable(peer);
            TellDraining(peer, link, outbox);
        });

        return ReceiveFromPeerAsync(peer, connection);
    }

    private async Task ReceiveFromPeerAsync(ulong peer, FrameConnection<Message> connection)
    {
        try
        {
            await connection.ReceiveAsync(message => ReceiveFromPeer(peer, message), _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBrokenConnection(e))
        {
            _logger.PeerConnectionBroken(peer, e.Message);
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
        catch (Exception e)
        {
            // A fault in the node's own handling: this link ends, the node goes on.
            _logger.PeerConnectionFailed(peer, e);
        }
        finally
        {
            await CloseAsync(connection, process: -1).ConfigureAwait(false);
            Locked(outbox =>
            {
                _peers.Remove(peer);
                // Before anything is placed again below: work that was there goes to nodes still linked.
                _view.Unreachable(peer);
                _router.OnPeerLost(peer, outbox);
                // Its processes count as dead here: owners drop them as borrowers, queued work of theirs goes.
                _scheduler.DropQueuedTasksOfNode(peer, outbox);
                TellRuntimesExited(ProcessAddress.NodeOf(peer), outbox);
                ReplaceTasksSentTo(peer, outbox);
                ForgetActorsOf(peer, outbox);
                DeadOwnerCopies.Drop(_store, _objectStore, peer, outbox);
                OnPeerLostForRecovery(peer, outbox);
            });
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

        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            var link = new SocketProcessLink(hello.Process, connection);
            if (_processes.Join(link) is null)
            {
                throw new RefusedConnectionException($"process {hello.Process} was not started by this node");
            }

            if (_actors.ProcessJoined(hello.Process) is { } waiting)
            {
                // A dedicated actor's process: it runs that actor only.
                foreach (var message in waiting)
                {
                    outbox.Add(link, message);
                }
            }
            else
            {
                PoolOf(_processes.PackageOf(hello.Process))?.Joined(link);
                _actors.PlaceWaitingActors(outbox);
                _scheduler.Dispatch(outbox);
            }
        }

        outbox.Flush();
        return hello.Process;
    }

    // A process's connection closed: each part forgets it, and the others are told.
    private void OnProcessDied(int process)
    {
        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            var os = _processes.OsProcessOf(process);
            var pool = PoolOf(_processes.PackageOf(process));
            _processes.OnProcessExited(process);
            _referenceSummaries.OnProcessExited(process);
            _access.OnProcessExited(process);
            var worker = _scheduler.OnProcessExited(process, WorkerExit.Describe(process, os), outbox,
                spec => _logger.TaskRetried(spec.DisplayName, spec.Id, spec.Attempt));
            pool?.OnProcessExited(process, os, worker, outbox);
            _objects.OnProcessExited(process, outbox);
            _actors.OnProcessExited(process, outbox);
            _pressure.OnProcessExited(process);
            var address = _addresses.Of(process);
            _taskLogs.OnProcessExited(address);
            _router.OnProcessExited(address, outbox);
            TellRuntimesExited(address, outbox);
            foreach (var (node, link) in _peers.All)
            {
                outbox.Add(link, new ProcessExited { Target = ProcessAddress.NodeOf(node), Source = _address, Process = address });
            }

            _scheduler.Dispatch(outbox);
        }

        outbox.Flush();
    }

    /// <summary>
    /// Stops the workers (asking first, then killing), answers every waiting create and restore,
    /// and releases the store and its spill files.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        List<Process> processes;
        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var pool in Pools)
            {
                pool.Stop();
            }

            _pressure.Stop();
            _restores.Stop();
            processes = [.. _processes.OsProcesses];
            foreach (var process in _actors.DedicatedProcesses.Concat(_scheduler.Workers.Keys))
            {
                outbox.Add(process, new Shutdown());
            }

            _objects.Stop(outbox);
        }

        // First, outside the lock (a collection in progress takes it): no reading may reach a part being stopped.
        _metrics?.Dispose();
        outbox.Flush();
        // Workers exit on Shutdown, or when their connection closes: wait for all at once.
        await Task.WhenAll(processes.Select(StopProcessAsync)).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        // No spill or restore may touch the arena once it is unmapped.
        await _pressureLoopRun.ConfigureAwait(false);
        Task[] restoring;
        lock (_lock)
        {
            restoring = _restores.InFlight();
        }

        await Task.WhenAll(restoring).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        lock (_lock)
        {
            _spills.Dispose();
        }

        _store.Dispose();
        _wake.Dispose();
    }

    private async Task StopProcessAsync(Process process)
    {
        using (process)
        {
            try
            {
                using var grace = new CancellationTokenSource(ShutdownGrace, _time);
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Never started or already reaped.
            }
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_lock)
        {
            return read();
        }
    }

    // Runs a step under the lock; the messages it decided leave once the lock is released.
    private void Locked(Action<Outbox> step)
    {
        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            step(outbox);
        }

        outbox.Flush();
    }

    private void OnProcessExit(object? sender, EventArgs e) => _spills.Remove();

    private sealed class RefusedConnectionException(string message) : Exception(message);
}
