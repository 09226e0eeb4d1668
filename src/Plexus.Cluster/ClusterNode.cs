using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Plexus.Cluster.Submissions;
using Plexus.Control;
using Plexus.Hosting;
using Plexus.Hosting.Cluster;
using Plexus.Hosting.Packages;
using Plexus.Node;
using Plexus.Protocol.Transport;

namespace Plexus.Cluster;

/// <summary>
/// One running node of a cluster: its node daemon (listening on TCP for peers), registered with the
/// head's control service (on the head too, which runs that service as a process of its own: see
/// <c>plexus start --head</c>). Jobs' workers start from their
/// packages, fetched into this node's cache. Disposing it leaves the cluster gracefully (the node
/// unregisters, so no new work comes) and stops its workers.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    // How long the workers of a node may take to start (a node of a cluster starts none at first).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly IControlClient _control;
    private readonly NodeDaemon _node;
    private readonly PeerConnector _peers;
    private readonly ClusterMembership _membership;
    private readonly PackageCache _packages;
    private readonly ControlActorRegistry _actorNames;
    // Serves the node's metrics; null when ClusterNodeSettings.MetricsPort is 0.
    private readonly MetricsEndpoint? _metrics;
    private readonly SubmittedDrivers _drivers;
    // Answers the control service's reads of this node's log directory.
    // Answers the control service's requests of this node: log reads, its processes' held objects.
    private readonly NodeRequestServer _requests;
    private int _disposed;

    private ClusterNode(IControlClient control, NodeDaemon node, PeerConnector peers, ClusterMembership membership,
        PackageCache packages, ControlActorRegistry actorNames, SubmittedDrivers drivers, string controlAddress, MetricsEndpoint? metrics, NodeRequestServer requests)
    {
        _requests = requests;
        _metrics = metrics;
        _drivers = drivers;
        _actorNames = actorNames;
        _control = control;
        _node = node;
        _peers = peers;
        _membership = membership;
        _packages = packages;
        ControlAddress = controlAddress;
        Fenced = StopWhenFencedAsync();
    }

    /// <summary>The head's control address, <c>host:port</c>: what drivers and joining nodes are given.</summary>
    public string ControlAddress { get; }

    /// <summary>Where this node's daemon listens for peers, <c>tcp:host:port</c>.</summary>
    public string NodeAddress => _peers.Endpoint;

    /// <summary>Where this node serves its metrics in Prometheus format; null when it serves none.</summary>
    public Uri? MetricsUrl => _metrics?.Url;

    /// <summary>This node's id.</summary>
    public ulong NodeId => _node.NodeId;

    /// <summary>Faults when the node can no longer serve the cluster (the control service refused to take it back).</summary>
    public Task Stopped => _membership.Refused;

    /// <summary>
    /// Completes, with the control service's reason, once the cluster declared this node dead (it was
    /// cut off longer than the node timeout) and the node has stopped everything it ran: its
    /// workers and actors' processes are ended (the cluster counts them dead and may have restarted
    /// their work elsewhere) and attached drivers' connections are closed. The id is never admitted
    /// again: a new node must be started in its place. Never completes otherwise.
    /// </summary>
    public Task<string> Fenced { get; }

    /// <summary>
    /// Starts the node and returns once it serves: the daemon registered with the control service
    /// at <see cref="ClusterNodeSettings.HeadAddress"/>. Throws <see cref="ArgumentException"/> for bad
    /// settings, <see cref="IOException"/> when an address is in use (the metrics port:
    /// <see cref="MetricsPortUnavailableException"/>), and
    /// <see cref="ControlServiceUnavailableException"/> when the control service cannot be reached.
    /// </summary>
    public static async Task<ClusterNode> StartAsync(ClusterNodeSettings settings, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var ip = ParseAddress(settings.NodeIp);
        var logger = loggerFactory.CreateLogger<ClusterNode>();
        Directory.CreateDirectory(settings.TempDirectory);
        await using var cleanup = new StartCleanup();
        // First: a port in use fails the start before anything else is started.
        var metrics = settings.MetricsPort == 0 ? null : cleanup.Add(MetricsEndpoint.Start(ip, settings.MetricsPort));
        var controlAddress = settings.HeadAddress
            ?? throw new ArgumentException("A node needs the address of the cluster's control service (--address, or the head's own).", nameof(settings));
        var control = cleanup.Add(new ControlClient(new Uri($"http://{controlAddress}"), settings.Token));
        var packages = cleanup.Add(new PackageCache(Path.Combine(settings.TempDirectory, "packages"), control));
        // The folder of each package made ready here, which its workers start from.
        var folders = new ConcurrentDictionary<string, WorkerLauncher>();
        var options = NodeOptionsFor(settings, async (package, token) =>
            folders[package] = WorkerLauncher.ForApplication(await packages.EnsureAsync(package, token).ConfigureAwait(false), new PlexusOptions().InlineThreshold));
        // Actor names are the cluster's: kept by the control service, not by each node.
        var actorNames = cleanup.Add(new ControlActorRegistry(control, logger));
        options.ActorRegistry = actorNames;
        options.ActorSupervisor = new ControlActorSupervisor(control, logger);
        var logDirectory = LogDirectoryOf(settings);
        var node = cleanup.Add(await NodeDaemon.StartAsync(options,
            context => folders.TryGetValue(context.Package ?? throw new InvalidOperationException("A cluster node starts only job packages' workers."), out var launcher)
                ? WithLogDirectory(launcher.Create(context), logDirectory)
                : throw new InvalidOperationException($"Job package {context.Package} is not ready on this node yet."),
            StartTimeout, loggerFactory, cancellationToken).ConfigureAwait(false));
        var listener = await TcpTransport.Instance.ListenAsync(TransportEndpoint.Tcp(ip.ToString(), 0), cancellationToken).ConfigureAwait(false);
        var peers = cleanup.Add(new PeerConnector(node, listener, logger));
        peers.Start();
        // Drivers submitted to the cluster (plexus submit) that the service hands this node.
        var drivers = cleanup.Add(new SubmittedDrivers(
            new DriverHostContext(ControlIds.Node(node.NodeId), controlAddress, settings.Token, Path.Combine(settings.TempDirectory, "logs", "jobs")),
            control, packages, logger));
        var membership = new ClusterMembership(node, control, peers, peers.Endpoint, ClusterMembership.HeartbeatInterval, logger) { Answered = drivers.Take };
        await membership.StartAsync(cancellationToken).ConfigureAwait(false);
        cleanup.Add(membership);
        var requests = cleanup.Add(new NodeRequestServer(control, ControlIds.Node(node.NodeId), new NodeLogDirectory(logDirectory), node, logger));
        logger.LogInformation("Node {Node:x16} serves at {Address}; cluster control at {Control}; metrics at {Metrics}",
            node.NodeId, peers.Endpoint, controlAddress, metrics?.Url.ToString() ?? "(none)");
        cleanup.Keep();
        return new ClusterNode(control, node, peers, membership, packages, actorNames, drivers, controlAddress, metrics, requests);
    }

    // Where the node's processes write their log files (ProcessLogProvider): <temp-dir>/logs.
    private static string LogDirectoryOf(ClusterNodeSettings settings) => Path.Combine(settings.TempDirectory, "logs");

    // Workers write their log files beside the node's.
    private static System.Diagnostics.ProcessStartInfo WithLogDirectory(System.Diagnostics.ProcessStartInfo start, string logDirectory)
    {
        start.Environment[Plexus.Worker.WorkerLogging.DirectoryVariable] = logDirectory;
        return start;
    }

    internal static NodeOptions NodeOptionsFor(ClusterNodeSettings settings, Func<string, CancellationToken, Task> preparePackage)
    {
        var options = new NodeOptions
        {
            Cpus = settings.Cpus ?? Environment.ProcessorCount,
            WorkerCount = 0,
            ClusterId = ClusterIdentity.ClusterIdOf(settings.Token),
            ClusterToken = settings.Token,
            SpillDirectory = settings.TempDirectory,
            Resources = WithDetectedGpus(settings.Resources),
            PreparePackage = preparePackage,
        };
        if (settings.ObjectStoreMemory is { } storeBytes)
        {
            options.StoreCapacity = storeBytes;
        }

        if (settings.WorkerIdleTimeout is { } idleTimeout)
        {
            options.WorkerIdleTimeout = idleTimeout;
        }

        return options;
    }

    // The resources given, plus the machine's GPUs when they do not say how many it offers.
    private static Dictionary<string, double> WithDetectedGpus(IReadOnlyDictionary<string, double> given)
    {
        var resources = new Dictionary<string, double>(given);
        if (!resources.ContainsKey(Resources.Gpu) && GpuDetector.Count() is > 0 and var gpus)
        {
            resources[Resources.Gpu] = gpus;
        }

        return resources;
    }

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out var ip) ? ip : throw new ArgumentException($"'{text}' is not an IP address (--node-ip).", nameof(text));

    /// <summary>
    /// Stops taking work before leaving: every peer is told to place nothing more here, what this
    /// node's runtimes submit goes elsewhere, and the task completes once no task is queued or
    /// running here (see <see cref="NodeDaemon.DrainAsync"/>). Dispose afterwards to leave.
    /// </summary>
    public Task DrainAsync(CancellationToken cancellationToken) => _node.DrainAsync(cancellationToken);

    private async Task<string> StopWhenFencedAsync()
    {
        string reason = await _membership.Fenced.ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
        return reason;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The drivers first, while the node is still a member: their last output and exits reach the service.
        await _drivers.DisposeAsync().ConfigureAwait(false);

        // Leave first, so no new work is sent here, then stop.
        await _requests.DisposeAsync().ConfigureAwait(false);
        await _membership.DisposeAsync().ConfigureAwait(false);
        await _peers.DisposeAsync().ConfigureAwait(false);
        await _node.DisposeAsync().ConfigureAwait(false);
        await _actorNames.DisposeAsync().ConfigureAwait(false);
        _packages.Dispose();
        await _control.DisposeAsync().ConfigureAwait(false);
        _metrics?.Dispose();
    }

    // What a failed start had started is stopped again, last first.
    private sealed class StartCleanup : IAsyncDisposable
    {
        private readonly List<object> _started = [];
        private bool _keep;

        public T Add<T>(T started)
            where T : notnull
        {
            _started.Add(started);
            return started;
        }

        public void Keep() => _keep = true;

        public async ValueTask DisposeAsync()
        {
            if (_keep)
            {
                return;
            }

            for (var i = _started.Count - 1; i >= 0; i--)
            {
                switch (_started[i])
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
        }
    }
}
