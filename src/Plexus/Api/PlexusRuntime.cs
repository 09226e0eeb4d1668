using Microsoft.Extensions.Logging;
using Plexus.Core;
using Plexus.Functions;
using Plexus.Node;
using Plexus.Serialization;

namespace Plexus;

/// <summary>
/// A program's connection to a Plexus cluster: put objects, submit tasks, wait for futures.
/// <see cref="StartLocalAsync"/> starts an embedded cluster on this machine; inside a task,
/// <see cref="Current"/> is the worker's runtime, so tasks can submit tasks.
/// </summary>
public sealed partial class PlexusRuntime : IAsyncDisposable
{
    // The runtime of this process: set by StartLocalAsync (driver) or by the worker at start.
    private static PlexusRuntime? _current;
    private readonly NodeDaemon? _node;
    private readonly EmbeddedControlPlane? _control;
    private readonly AttachedDriver? _attached;
    private int _disposed;

    private PlexusRuntime(CoreRuntime core, NodeDaemon? node, EmbeddedControlPlane? control, AttachedDriver? attached = null)
    {
        Core = core;
        _node = node;
        _control = control;
        _attached = attached;
    }

    internal CoreRuntime Core { get; }

    /// <summary>The embedded node daemon (driver of an embedded cluster only).</summary>
    internal NodeDaemon? Node => _node;

    /// <summary>
    /// The runtime of this process: the driver's once started, or the worker's inside a task.
    /// Throws <see cref="InvalidOperationException"/> when none is running.
    /// </summary>
    public static PlexusRuntime Current =>
        _current ?? throw new InvalidOperationException("No Plexus runtime is running in this process: start one with PlexusRuntime.StartLocalAsync().");

    /// <summary>This program's job id (random per run).</summary>
    public JobId Job => Core.Job;

    /// <summary>The ids of the worker processes on the local node (embedded cluster only; empty in a worker).</summary>
    public IReadOnlyList<int> WorkerProcessIds => _node?.WorkerPids ?? [];

    /// <summary>The address of the cluster's control service (embedded cluster only; null in a worker).</summary>
    public Uri? ControlAddress => _control?.Address;

    /// <summary>The cluster's shared secret (embedded cluster only), which every process must present.</summary>
    internal string ClusterToken => _node?.ClusterToken ?? string.Empty;

    /// <summary>The abstract Unix socket name of the local node daemon (embedded cluster only).</summary>
    internal string NodeSocketName => _node?.SocketName ?? string.Empty;

    /// <summary>Bytes of the local object store in use (embedded cluster only).</summary>
    public long StoreBytesUsed => _node?.StoreUsed ?? 0;

    /// <summary>Objects in the local object store (embedded cluster only).</summary>
    public int StoreObjectCount => _node?.StoreObjectCount ?? 0;

    /// <summary>
    /// Starts an embedded cluster on this machine, with nothing to install: the control service
    /// (gRPC on loopback) and a node daemon in this process, the node's shared-memory object store,
    /// and a pool of worker processes. Everything stops
    /// when the runtime is disposed or this process exits (workers notice their node is gone).
    /// </summary>
    /// <exception cref="NotSupportedException">The program was published as a single file (<c>PublishSingleFile</c>), from which worker processes cannot start; publish it without.</exception>
    /// <exception cref="InvalidOperationException">A runtime is already running in this process, or no worker could start.</exception>
    public static async Task<PlexusRuntime> StartLocalAsync(PlexusOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        options ??= new PlexusOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cpus, 1);
        if (_current is not null)
        {
            throw new InvalidOperationException("A Plexus runtime is already running in this process; dispose it first.");
        }

        var job = JobId.NewRandom();
        var launcher = new WorkerLauncher(job, options.InlineThreshold, options.RecordCallSites);
        var nodeOptions = new NodeOptions
        {
            Cpus = options.Cpus,
            WorkerCount = options.WorkerCount,
            PipelineDepth = options.PipelineDepth,
            StoreCapacity = options.StoreCapacity ?? NodeOptions.DefaultStoreCapacity(),
            SpillDirectory = options.SpillDirectory,
            SpillEnabled = options.SpillEnabled,
        };
        if (options.StoreFullTimeout is { } storeFullTimeout)
        {
            nodeOptions.CreateTimeout = storeFullTimeout;
        }

        Func<WorkerLaunchContext, System.Diagnostics.ProcessStartInfo> launch = options.WorkerLaunchFault is { } fault
            ? context => fault(context, launcher.Create(context))
            : launcher.Create;
        // The driver compiles its codecs while the workers start, which takes longer.
        var warmup = System.Threading.Tasks.Task.Run(Warmup.Run, cancellationToken);
        var node = await NodeDaemon.StartAsync(nodeOptions, launch, options.StartTimeout, loggerFactory, cancellationToken).ConfigureAwait(false);
        await warmup.ConfigureAwait(false);
        EmbeddedControlPlane control;
        try
        {
            control = await EmbeddedControlPlane.StartAsync(node.NodeId, node.SocketName, options.Cpus, job, nodeOptions.ClusterToken, loggerFactory, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        CoreRuntime? core = null;
        var send = node.AttachDriver(message => core!.Deliver(message));
        core = new CoreRuntime(job, new ProcessAddress(node.NodeId, ProcessAddress.DriverProcess), options.InlineThreshold, send,
            (_, sendToNode) => new DirectStoreAccess(node, sendToNode))
        {
            RecordCallSites = options.RecordCallSites,
        };
        var runtime = new PlexusRuntime(core, node, control);
        ProcessRuntime.Set(core);
        _current = runtime;
        return runtime;
    }

    /// <summary>
    /// The address other programs pass to <see cref="ConnectAsync"/> to join this cluster
    /// (embedded cluster only). It contains the cluster's token: share it like a password.
    /// </summary>
    public ClusterAddress? Address => _node is null ? null : new ClusterAddress(_node.SocketName, _node.ClusterToken);

    /// <summary>
    /// Joins a running cluster on this machine as another driver, with a job of its own: it can
    /// put objects, submit tasks, and find named actors. What it owns ends when it disconnects.
    /// Throws <see cref="InvalidOperationException"/> when no node listens at the address,
    /// <see cref="Protocol.Handshake.InvalidClusterTokenException"/> when the node refuses its token, and
    /// <see cref="Protocol.Handshake.ProtocolVersionMismatchException"/> when the node runs another Plexus version.
    /// </summary>
    public static async Task<PlexusRuntime> ConnectAsync(ClusterAddress address, PlexusOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new PlexusOptions();
        if (_current is not null)
        {
            throw new InvalidOperationException("A Plexus runtime is already running in this process; dispose it first.");
        }

        var attached = await AttachedDriver.ConnectAsync(address, options.InlineThreshold, options.RecordCallSites, cancellationToken).ConfigureAwait(false);
        var runtime = new PlexusRuntime(attached.Runtime, null, null, attached);
        ProcessRuntime.Set(attached.Runtime);
        _current = runtime;
        return runtime;
    }

    internal static void SetWorkerRuntime(CoreRuntime core) => _current = new PlexusRuntime(core, null, null);

    /// <summary>
    /// Stores a value as an immutable object and returns its future. Small values stay in this
    /// process; large ones are written once into shared memory. Throws
    /// <see cref="ValueSerializationException"/> for a value that cannot be serialized and
    /// <see cref="ObjectStoreFullException"/> when the store has no room.
    /// </summary>
    public ObjectRef<T> Put<T>(T value)
    {
        var id = Core.Put(ValueCodec.Encode(value, typeof(T)));
        return ObjectRef<T>.Owned(id, Core);
    }

    /// <summary>
    /// <see cref="Put{T}"/> without blocking a thread while a full store makes room: the value is
    /// copied before the returned task completes. Throws <see cref="ObjectStoreFullException"/>
    /// when no room appeared within <see cref="PlexusOptions.StoreFullTimeout"/>, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is
    /// cancelled first (nothing is stored then).
    /// </summary>
    public async ValueTask<ObjectRef<T>> PutAsync<T>(T value, CancellationToken cancellationToken = default)
    {
        var id = await Core.PutAsync(ValueCodec.Encode(value, typeof(T)), cancellationToken).ConfigureAwait(false);
        return ObjectRef<T>.Owned(id, Core);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> of <paramref name="refs"/> are ready or
    /// <paramref name="timeout"/> passes, and returns the ready and pending refs in input order.
    /// Throws <see cref="ArgumentException"/> when a ref appears twice (it would count twice).
    /// </summary>
    public async Task<(IReadOnlyList<T> Ready, IReadOnlyList<T> Pending)> WaitAsync<T>(
        IReadOnlyList<T> refs, int count, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : ObjectRef
    {
        ArgumentNullException.ThrowIfNull(refs);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        // An array is read as it is (no interface call per ref); anything else is copied once.
        var items = refs as T[] ?? [.. refs];
        DistinctRefs.ThrowIfRepeated(items, nameof(refs));
        count = Math.Min(count, items.Length);
        var enough = new ReadyCounter(count);
        foreach (var reference in items)
        {
            var resolve = reference.Resolve();
            if (resolve.IsCompleted)
            {
                enough.Signal();
            }
            else
            {
                _ = resolve.ContinueWith(static (_, state) => ((ReadyCounter)state!).Signal(), enough,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        if (!enough.Done.IsCompleted)
        {
            var context = TaskContext.Current;
            context?.EnterWait();
            try
            {
                await enough.Done.WaitAsync(timeout ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Return what is ready so far.
            }
            finally
            {
                context?.ExitWait();
            }
        }

        var ready = new List<T>(count);
        var pending = new List<T>();
        foreach (var reference in items)
        {
            (reference.IsReady && ready.Count < count ? ready : pending).Add(reference);
        }

        return (ready, pending);
    }

    /// <summary>
    /// Awaits every ref and returns their values in order. Raises the first failure in order, or
    /// <see cref="TimeoutException"/> when all are not ready within <paramref name="timeout"/> in all.
    /// </summary>
    public async Task<T[]> GetAsync<T>(IReadOnlyList<ObjectRef<T>> refs, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refs);
        var deadline = timeout is { } limit ? Environment.TickCount64 + (long)limit.TotalMilliseconds : long.MaxValue;
        var values = new T[refs.Count];
        for (var i = 0; i < values.Length; i++)
        {
            TimeSpan? left = deadline == long.MaxValue ? null : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
            values[i] = await refs[i].GetAsync(left, cancellationToken).ConfigureAwait(false);
        }

        return values;
    }

    /// <summary>Frees objects this process owns (see <see cref="ObjectRef.Dispose"/>).</summary>
    public static void Free(params ReadOnlySpan<ObjectRef> refs)
    {
        foreach (var reference in refs)
        {
            reference.Dispose();
        }
    }

    // declaredResult is the type of the future the builder will hand out (Done for no result).
    internal TaskBuilderCore Describe(Delegate function, Type declaredResult)
    {
        Core.ThrowIfClosed();
        var descriptor = FunctionDescriptors.Describe(function);
        ResultShape.ThrowIfMismatched(function.Method, declaredResult);
        return new TaskBuilderCore(Core, descriptor, TaskOptions.Default);
    }

    /// <summary>Stops the workers and the node, and frees the store. Pending futures fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Core.Close(new ObjectDisposedException("The Plexus runtime was disposed.", (Exception?)null));
        if (_node is not null)
        {
            await _node.DisposeAsync().ConfigureAwait(false);
        }

        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        if (_attached is not null)
        {
            await _attached.DisposeAsync().ConfigureAwait(false);
        }

        ProcessRuntime.Set(null);
        Interlocked.CompareExchange(ref _current, null, this);
    }
}
