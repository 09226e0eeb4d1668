using Microsoft.Extensions.Logging;
using Plexus.Binding;

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
    // What this driver started or joined; null in a worker.
    private readonly ClusterConnection? _cluster;
    private int _disposed;

    internal PlexusRuntime(RuntimeCore core, ClusterConnection? cluster)
    {
        Core = core;
        _cluster = cluster;
    }

    internal RuntimeCore Core { get; }

    /// <summary>What this driver started or joined (null in a worker).</summary>
    internal ClusterConnection? Cluster => _cluster;

    /// <summary>
    /// The runtime of this process: the driver's once started, or the worker's inside a task.
    /// Throws <see cref="InvalidOperationException"/> when none is running.
    /// </summary>
    public static PlexusRuntime Current =>
        _current ?? throw new InvalidOperationException("No Plexus runtime is running in this process: start one with PlexusRuntime.StartLocalAsync().");

    /// <summary>This program's job id (random per run).</summary>
    public JobId Job => Core.Job;

    // Logger's, made on first use.
    private ILogger? _logger;

    /// <summary>
    /// Loggers for code in tasks and actors: <c>PlexusRuntime.Current.LoggerFactory.CreateLogger&lt;MyActor&gt;()</c>.
    /// Inside a task, or an actor's constructor or method, each entry carries its level, category,
    /// message and structured values, and where it ran: the task's id (for an actor, the call's id
    /// and the actor's), the function or method, the job, the node and the worker's pid. A worker
    /// writes it to its own log file (on a cluster node <c>&lt;temp-dir&gt;/logs/worker-PID.log</c>,
    /// read with <c>plexus logs --node NODE --process worker-PID</c>; in the embedded cluster when
    /// <see cref="PlexusOptions.LogDirectory"/> is set) and sends it to the job's driver, which writes
    /// it through the <see cref="ILoggerFactory"/> given to <see cref="StartAsync"/> or
    /// <see cref="StartLocalAsync"/>, else on its console. The driver shows entries from
    /// <see cref="PlexusOptions.TaskLogLevel"/> up (default Information); workers make no entry
    /// below it, and write and send each one they make. Sending is batched and
    /// bounded: entries logged faster than they can be sent are dropped, and the driver is told how
    /// many (the worker's log file keeps them all). Code that does not log costs nothing. In the
    /// driver itself this is the program's factory, or one that writes to the console; Plexus's own
    /// (in a worker, or in a driver given none) throws <see cref="NotSupportedException"/> from
    /// <see cref="ILoggerFactory.AddProvider"/>.
    /// </summary>
    public ILoggerFactory LoggerFactory => Core.LoggerFactory;

    /// <summary>A logger of category <c>Plexus.Task</c> from <see cref="LoggerFactory"/>: the short way to log from a task.</summary>
    public ILogger Logger => _logger ??= LoggerFactory.CreateLogger("Plexus.Task");

    /// <summary>The ids of the worker processes on the local node (embedded cluster only; empty in a worker).</summary>
    public IReadOnlyList<int> WorkerProcessIds => _cluster?.WorkerProcessIds ?? [];

    /// <summary>
    /// The address of the cluster's control service, when it serves one over the network. Null for
    /// an embedded cluster, which calls its control service in-process, and in a worker.
    /// </summary>
    public Uri? ControlAddress => _cluster?.ControlAddress;

    /// <summary>The cluster's shared secret (embedded cluster only), which every process must present.</summary>
    internal string ClusterToken => _cluster?.ClusterToken ?? string.Empty;

    /// <summary>The abstract Unix socket name of the local node daemon (embedded cluster only).</summary>
    internal string NodeSocketName => _cluster?.NodeSocketName ?? string.Empty;

    /// <summary>Bytes of the local object store in use (embedded cluster only).</summary>
    public long StoreBytesUsed => _cluster?.StoreBytesUsed ?? 0;

    /// <summary>Objects in the local object store (embedded cluster only).</summary>
    public int StoreObjectCount => _cluster?.StoreObjectCount ?? 0;

    /// <summary>
    /// Starts an embedded cluster on this machine, with nothing to install: the control service
    /// (called in-process) and a node daemon in this process, the node's shared-memory object store,
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

        var (core, cluster) = await ClusterLauncher.Default.StartLocalAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        return await Become(new PlexusRuntime(core, cluster)).ConfigureAwait(false);
    }

    /// <summary>
    /// The environment variable naming the cluster <see cref="StartAsync"/> joins: <c>host:port</c> of
    /// its head (<c>plexus start --head</c> prints it).
    /// </summary>
    public const string AddressVariable = "PLEXUS_ADDRESS";

    /// <summary>
    /// Starts the runtime where the program is run: it joins the cluster named by the
    /// <c>PLEXUS_ADDRESS</c> environment variable when it is set (as
    /// <see cref="ConnectAsync(string, PlexusOptions?, CancellationToken)"/>), and starts an embedded
    /// local cluster otherwise (as <see cref="StartLocalAsync"/>). The same program runs unchanged on
    /// a laptop and on a cluster.
    /// </summary>
    public static Task<PlexusRuntime> StartAsync(PlexusOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        Environment.GetEnvironmentVariable(AddressVariable) is { Length: > 0 } address
            ? JoinAsync(address, options, loggerFactory, cancellationToken)
            : StartLocalAsync(options, loggerFactory, cancellationToken);

    /// <summary>
    /// Joins a running cluster as a driver with a job of its own. <paramref name="address"/> is
    /// <c>plexus://host:port</c> (or <c>host:port</c>) of a cluster's head: the driver uploads its
    /// application once (files the cluster has are not sent again), so every node starts the job's
    /// workers from its own copy, and attaches to the node on this machine, or where none runs starts
    /// a node of its own in this process that joins the cluster over TCP and runs no work (the
    /// cluster's nodes must reach this machine); the token comes from
    /// <see cref="PlexusOptions.ClusterToken"/>. An embedded cluster's <see cref="Address"/>
    /// (<c>unix:@…#token</c>) is accepted too. Throws <see cref="FormatException"/> for an address of
    /// neither form, <see cref="InvalidOperationException"/> when no token is given,
    /// <see cref="InvalidClusterTokenException"/> when the head refuses the token,
    /// <see cref="NodeUnavailableException"/> when this machine and the cluster's nodes cannot link,
    /// and the control service's errors when the head cannot be reached.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The overloads differ in their first parameter's type (string, ClusterAddress), which no call can confuse.")]
    public static Task<PlexusRuntime> ConnectAsync(string address, PlexusOptions? options = null, CancellationToken cancellationToken = default) =>
        JoinAsync(address, options, loggerFactory: null, cancellationToken);

    // ConnectAsync(string), with the logger factory StartAsync was given for the node a driver may bring.
    private static async Task<PlexusRuntime> JoinAsync(string address, PlexusOptions? options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        if (address.StartsWith("unix:", StringComparison.Ordinal))
        {
            return await ConnectAsync(ClusterAddress.Parse(address), options, cancellationToken).ConfigureAwait(false);
        }

        options ??= new PlexusOptions();
        if (_current is not null)
        {
            throw new InvalidOperationException("A Plexus runtime is already running in this process; dispose it first.");
        }

        var head = address.StartsWith("plexus://", StringComparison.Ordinal) ? address["plexus://".Length..].TrimEnd('/') : address;
        if (!Uri.TryCreate($"http://{head}", UriKind.Absolute, out var uri) || uri.Port <= 0 || uri.AbsolutePath != "/")
        {
            throw new FormatException($"'{address}' is not a Plexus cluster address (expected plexus://host:port or host:port).");
        }

        var (core, cluster) = await ClusterLauncher.Default.JoinAsync(uri, options, loggerFactory, cancellationToken).ConfigureAwait(false);
        return await Become(new PlexusRuntime(core, cluster)).ConfigureAwait(false);
    }

    /// <summary>
    /// The address other programs pass to <see cref="ConnectAsync(ClusterAddress, PlexusOptions?, CancellationToken)"/> to join this cluster
    /// (embedded cluster only). It contains the cluster's token: share it like a password.
    /// </summary>
    public ClusterAddress? Address => _cluster?.Address;

    /// <summary>
    /// The id of the node this runtime runs on (16 hex digits), as <c>plexus status</c> lists
    /// nodes: inside a task, the node that runs it. For <see cref="SchedulingStrategy.NodeAffinity"/>.
    /// </summary>
    public string NodeId => Core.Address.Node.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Joins a running cluster on this machine as another driver, with a job of its own: it can
    /// put objects, submit tasks, and find named actors. What it owns ends when it disconnects.
    /// Throws <see cref="InvalidOperationException"/> when no node listens at the address,
    /// <see cref="InvalidClusterTokenException"/> when the node refuses its token, and
    /// <see cref="ProtocolVersionMismatchException"/> when the node runs another Plexus version.
    /// </summary>
    public static async Task<PlexusRuntime> ConnectAsync(ClusterAddress address, PlexusOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new PlexusOptions();
        if (_current is not null)
        {
            throw new InvalidOperationException("A Plexus runtime is already running in this process; dispose it first.");
        }

        var (core, cluster) = await ClusterLauncher.Default.ConnectAsync(address, options, cancellationToken).ConfigureAwait(false);
        return await Become(new PlexusRuntime(core, cluster)).ConfigureAwait(false);
    }

    /// <summary>Makes a worker's runtime the one <see cref="Current"/> returns to its tasks.</summary>
    internal static void SetWorkerRuntime(PlexusRuntime runtime) => _current = runtime;

    // A driver's runtime becomes Current; one started concurrently with it is stopped again.
    private static async Task<PlexusRuntime> Become(PlexusRuntime runtime)
    {
        if (Interlocked.CompareExchange(ref _current, runtime, null) is null)
        {
            return runtime;
        }

        await runtime.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException("A Plexus runtime is already running in this process; dispose it first.");
    }

    /// <summary>
    /// Stores a value as an immutable object and returns its future. Small values stay in this
    /// process; large ones are written once into shared memory. Throws
    /// <see cref="ValueSerializationException"/> for a value that cannot be serialized and
    /// <see cref="ObjectStoreFullException"/> when the store has no room.
    /// </summary>
    public ObjectRef<T> Put<T>(T value)
    {
        return Core.Put(value);
    }

    /// <summary>
    /// <see cref="Put{T}"/> without blocking a thread while a full store makes room: the value is
    /// copied before the returned task completes. Throws <see cref="ObjectStoreFullException"/>
    /// when no room appeared within <see cref="PlexusOptions.StoreFullTimeout"/>, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is
    /// cancelled first (nothing is stored then).
    /// </summary>
    public ValueTask<ObjectRef<T>> PutAsync<T>(T value, CancellationToken cancellationToken = default)
    {
        return Core.PutAsync(value, cancellationToken);
    }

    /// <summary>
    /// Inside a task (or an actor call), memory of <paramref name="length"/> bytes for its return
    /// <paramref name="index"/> (a <c>byte[]</c> return), created where the object will live: in the
    /// node's store above the inline threshold (100 KiB by default), so the task writes its value in
    /// place instead of returning an array the runtime then copies; on the heap below it. Fill the
    /// buffer's memory and return <c>null</c> for that return (see <see cref="ReturnBuffer"/>). Like
    /// <see cref="Put{T}"/>, waits (blocking) while a full store makes room, and throws
    /// <see cref="ObjectStoreFullException"/> when none appeared in time; throws
    /// <see cref="InvalidOperationException"/> outside a task or for a return that already has a
    /// buffer, and <see cref="ArgumentOutOfRangeException"/> for an index the task does not return.
    /// </summary>
    public ReturnBuffer CreateReturnBuffer(int index, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return Core.CreateReturnBuffer(index, length);
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
            try
            {
                await Core.WaitAsync(enough.Done, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Return what is ready so far.
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

    /// <summary>
    /// Cancels the task that returns <paramref name="reference"/>: a task that has not started never
    /// runs; a running task has its <see cref="CancellationToken"/> parameter cancelled, and if it
    /// stops with an <see cref="OperationCanceledException"/> it ends cancelled (a task that ignores
    /// its token runs on, and its outcome stands, unless <paramref name="force"/> is set). Every
    /// awaiter of a cancelled task's results gets <see cref="TaskCancelledException"/>. A task that
    /// has finished keeps its outcome (cancelling it does nothing), and so does one that finishes
    /// before the cancel reaches it. Wherever the task is (this node, the node it was sent to, a
    /// worker), the cancel follows it there. A token given at submission (<c>WithCancellation</c>, or
    /// passed for a <see cref="CancellationToken"/> parameter) cancels the task the same way.
    /// </summary>
    /// <param name="reference">A result of the task, as its submission returned it.</param>
    /// <param name="force">
    /// Stop a running task by killing its worker process, whatever its code does. The other tasks
    /// that worker held run again on another worker, and the actors it hosted die with it. Default: false.
    /// </param>
    /// <param name="recursive">
    /// Cancel as well the unfinished tasks the task submitted, and theirs in turn, with the same
    /// <paramref name="force"/>. Default: false (they run on; their results go to the task's process).
    /// </param>
    /// <exception cref="InvalidOperationException">Another process owns <paramref name="reference"/>: only the process that submitted a task can cancel it.</exception>
    /// <exception cref="ArgumentException"><paramref name="reference"/> was put, not returned by a task.</exception>
    /// <exception cref="NotSupportedException"><paramref name="reference"/> is the result of an actor call: actor calls cannot be cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The runtime is shut down.</exception>
    public void Cancel(ObjectRef reference, bool force = false, bool recursive = false)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Owner != Core.Address)
        {
            throw new InvalidOperationException(
                $"Object {reference.Id} is owned by another process ({reference.Owner}): only the process that submitted a task can cancel it. " +
                "Cancel it there, or cancel the task that submitted it with recursive: true.");
        }

        if (reference.Id.IsPut)
        {
            throw new ArgumentException($"Object {reference.Id} was put, not returned by a task: there is no task to cancel.", nameof(reference));
        }

        Core.Cancel(reference.Id.Task, force, recursive);
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
        return Core.DescribeTask(function, declaredResult);
    }

    /// <summary>Stops the workers and the node, and frees the store. Pending futures fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        Interlocked.CompareExchange(ref _current, null, this);
    }
}
