using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.ClusterHosting;

/// <summary>
/// A cluster of real processes for one test: a head and more nodes started with `plexus start
/// --block`, each on a host of its own (a network namespace with its own address when this
/// process is root, else a loopback address of its own), each with a directory of its own under
/// one directory for the test. Drivers run on a node's host, or on a host with no node. Disposing kills every process the
/// cluster started (with their workers), writes their output to the test's output (shown when the
/// test fails) and removes the network and the directories.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    // A head whose randomly chosen port turned out taken is started again on another.
    private const int HeadStartAttempts = 5;
    private const string LogFileName = "console.log";
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(30);

    private readonly INodeNetwork _network;
    private readonly PlexusCli _cli;
    private readonly TestClusterOptions _options;
    private readonly ITestOutputHelper? _output;
    private readonly TempDirectory _directory = new();

    // The nodes serving, by index (the head first).
    private readonly List<TestNode> _nodes = [];

    // Every process started, serving or not (a head that failed, a node that never joined): all are killed on dispose.
    private readonly List<ClusterProcess> _processes = [];

    // The head's status asked in process, once the head serves; null with a stand-in tool (its `status --json` is run instead).
    private HeadStatusClient? _headStatus;

    private TestCluster(INodeNetwork network, TestClusterOptions options, ITestOutputHelper? output)
    {
        _network = network;
        _options = options;
        _cli = options.Cli ?? PlexusCli.Real();
        _output = output;
    }

    /// <summary>The nodes, the head first, then in the order they were started.</summary>
    public IReadOnlyList<TestNode> Nodes => _nodes;

    public TestNode Head => _nodes[0];

    /// <summary>The node whose id (as <c>PlexusRuntime.NodeId</c> and `plexus status` give it) is <paramref name="nodeId"/>.</summary>
    public TestNode NodeWithId(string nodeId) =>
        _nodes.SingleOrDefault(n => n.State.NodeId.Equals(nodeId, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"No node of the cluster has id {nodeId}: {string.Join(", ", _nodes.Select(n => $"{n.Name} {n.State.NodeId}"))}.");

    /// <summary>The head's control address, <c>ip:port</c>: what drivers get as PLEXUS_ADDRESS.</summary>
    public string HeadAddress => Head.State.ControlAddress;

    /// <summary>The file the head wrote its token to.</summary>
    public string TokenFile => Path.Combine(Head.TempDirectory, "token");

    /// <summary>The head's read-only token's file.</summary>
    public string ReadOnlyTokenFile => Path.Combine(Head.TempDirectory, "readonly-token");

    /// <summary>The head's dashboard, without a token; null unless <see cref="TestClusterOptions.Dashboard"/>.</summary>
    public Uri? DashboardUrl { get; private set; }

    /// <summary>Starts a cluster of <paramref name="nodes"/> nodes (the head included) with default options.</summary>
    public static Task<TestCluster> StartAsync(int nodes, TestClusterOptions? options = null, ITestOutputHelper? output = null) =>
        StartAsync(Enumerable.Repeat(NodeOptions.Default, nodes).ToList(), options, output);

    /// <summary>
    /// Starts the head with <c>nodes[0]</c> and waits until it serves (node.json written and its
    /// control service answers <see cref="StatusAsync"/>), then the other nodes in parallel, and returns once the head lists
    /// every node ALIVE.
    /// </summary>
    /// <exception cref="ClusterStartException">A node exited or did not serve or join in time; the message has its output.</exception>
    /// <exception cref="NetworkSetupException">The network could not be built.</exception>
    public static async Task<TestCluster> StartAsync(IReadOnlyList<NodeOptions> nodes, TestClusterOptions? options = null, ITestOutputHelper? output = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes.Count, 1, nameof(nodes));
        options ??= new TestClusterOptions();
        var cluster = new TestCluster(await CreateNetworkAsync(options.Network), options, output);
        try
        {
            await cluster.StartHeadAsync(nodes[0]);
            await cluster.JoinAsync(nodes.Skip(1).ToList());
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more node, which joins the running cluster, and returns once the head lists it ALIVE.</summary>
    /// <exception cref="ClusterStartException">The node exited or did not join in time; the message has its output.</exception>
    public async Task<TestNode> AddNodeAsync(NodeOptions? options = null)
    {
        await JoinAsync([options ?? NodeOptions.Default]);
        return _nodes[^1];
    }

    /// <summary>Starts more nodes at once, which join the running cluster, and returns once the head lists them all ALIVE.</summary>
    /// <exception cref="ClusterStartException">A node exited or did not join in time; the message has its output.</exception>
    public Task AddNodesAsync(IReadOnlyList<NodeOptions> nodes) => JoinAsync([.. nodes]);

    /// <summary>
    /// SIGKILLs node <paramref name="index"/> with every process it started, as a machine failure
    /// would, and returns once they are all gone. The head (index 0) can be killed too.
    /// </summary>
    public Task KillNodeAsync(int index) => _nodes[index].Process.KillAsync();

    /// <summary>The pid of the head's control service process now serving, from its <c>control.json</c>.</summary>
    /// <exception cref="InvalidOperationException">The head has no control service serving (it is being restarted, or the head has stopped).</exception>
    public int ControlServicePid => ControlStateFile.TryRead(HeadDirectory)?.Pid
        ?? throw new InvalidOperationException($"The head has written no {ControlStateFile.FileName}: no control service serves now.");

    /// <summary>
    /// SIGKILLs the head's control service process (that process only: the head lives on and
    /// restarts it) and returns its pid once it is gone.
    /// </summary>
    public async Task<int> KillControlServiceAsync()
    {
        int pid = ControlServicePid;
        Native.Signal(pid, Native.SigKill);
        await Eventually.TrueAsync(() => ProcFs.Read(pid) is null or { IsZombie: true }, $"the control service (pid {pid}) is gone", _options.StartTimeout);
        return pid;
    }

    /// <summary>
    /// Waits until the head has started a control service process other than <paramref name="replaced"/>
    /// and it answers <see cref="StatusAsync"/>; returns its pid. Fails at once, with its output, if the head exits.
    /// </summary>
    public async Task<int> WaitControlServiceAsync(int replaced)
    {
        int pid = 0;
        await WaitAsync(
            async () => ControlStateFile.TryRead(HeadDirectory) is { } control && control.Pid != replaced && (pid = control.Pid) > 0 && await TryStatusAsync() is not null,
            $"the head's control service is back (not pid {replaced}) and answers for the cluster's status",
            [Head.Process]);
        return pid;
    }

    /// <summary>
    /// Cuts <paramref name="host"/> (a node's, or one from <see cref="AddHostWithoutNodeAsync"/>) off
    /// from every other host (its packets are dropped, nothing is closed), as a partition would;
    /// <see cref="HealAsync"/> reconnects it.
    /// </summary>
    /// <exception cref="NotSupportedException">The cluster runs on loopback addresses (not root): one host cannot be cut off.</exception>
    public Task PartitionAsync(NodeHost host) => _network.PartitionAsync(host);

    /// <summary>Reconnects <paramref name="host"/> after <see cref="PartitionAsync"/>.</summary>
    /// <exception cref="NotSupportedException">The cluster runs on loopback addresses.</exception>
    public Task HealAsync(NodeHost host) => _network.HealAsync(host);

    /// <summary>A TCP port that is free on <paramref name="node"/>'s host, for a program of its own there.</summary>
    public int FreePort(TestNode node) => _network.FreePort(node.Host);

    /// <summary>
    /// What `plexus status --json` prints now: asked of the head's control service from this
    /// process (which reaches every host) with the cluster's token, through the tool's own client
    /// code, without starting a process; from a stand-in tool, its `status --json`.
    /// </summary>
    /// <exception cref="ClusterStatusException">The head did not answer or refused the token (or the stand-in's command failed); the message says why.</exception>
    public Task<ClusterStatus> StatusAsync() => _headStatus?.ReadAsync() ?? CliStatusAsync();

    /// <summary>What `plexus status --json` prints now, running the tool from this process: for tests of the command itself.</summary>
    /// <exception cref="ClusterStatusException">The command failed or printed something else; the message has its output.</exception>
    public async Task<ClusterStatus> CliStatusAsync()
    {
        var outcome = await HostCommand.RunAsync(_cli.Command("status", "--json", "--address", HeadAddress, "--token-file", TokenFile), StatusTimeout);
        if (outcome.ExitCode != 0)
        {
            throw new ClusterStatusException($"`plexus status --json` against {HeadAddress} failed with {outcome}");
        }

        try
        {
            return ClusterStatus.Parse(outcome.StandardOutput);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ClusterStatusException($"`plexus status --json` printed what is not its JSON document: {outcome}", e);
        }
    }

    /// <summary>
    /// Adds a host where no node of the cluster runs (a namespace of its own on the cluster's
    /// network, or a loopback address of its own), for a driver that joins from another machine.
    /// </summary>
    /// <exception cref="NetworkSetupException">The host could not be set up.</exception>
    public Task<NodeHost> AddHostWithoutNodeAsync() => _network.AddHostAsync();

    /// <summary>
    /// Runs a driver on node <paramref name="nodeIndex"/>'s host, with PLEXUS_ADDRESS and
    /// PLEXUS_TOKEN set to join this cluster (and PLEXUS_CACHE_DIR in the cluster's directory), and returns what it printed and its exit code.
    /// </summary>
    /// <param name="nodeIndex">The node whose host runs it (0: the head's).</param>
    /// <param name="command">The program, e.g. <c>dotnet</c>.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">More environment variables for it; these win over the cluster's (a wrong PLEXUS_TOKEN, say).</param>
    /// <param name="timeout">How long it may run; <see cref="TestClusterOptions.DriverTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">It ran longer and was killed with every process it started; the message has its output.</exception>
    public Task<CommandOutcome> RunDriverAsync(
        int nodeIndex, string command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        RunDriverAsync(_nodes[nodeIndex].Host, command, arguments, environment, timeout);

    /// <summary>
    /// Runs a driver on <paramref name="host"/> (a node's, or one from <see cref="AddHostWithoutNodeAsync"/>),
    /// as <see cref="RunDriverAsync(int, string, IEnumerable{string}, IReadOnlyDictionary{string, string}?, TimeSpan?)"/> does.
    /// </summary>
    /// <exception cref="TimeoutException">It ran longer and was killed with every process it started; the message has its output.</exception>
    public async Task<CommandOutcome> RunDriverAsync(
        NodeHost host, string command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var driverEnvironment = new Dictionary<string, string>
        {
            ["PLEXUS_ADDRESS"] = HeadAddress,
            ["PLEXUS_TOKEN"] = (await File.ReadAllTextAsync(TokenFile)).Trim(),
            // The package hash cache goes with the cluster's files, not the user's cache.
            ["PLEXUS_CACHE_DIR"] = Path.Combine(_directory.Path, "driver-cache"),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            driverEnvironment[name] = value;
        }

        var driver = host.Wrap(new CommandLine(command, [.. arguments]));
        return await HostCommand.RunAsync(driver, timeout ?? _options.DriverTimeout, driverEnvironment);
    }

    public async ValueTask DisposeAsync()
    {
        if (_headStatus is not null)
        {
            await _headStatus.DisposeAsync();
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
            WriteOutput($"--- {process} output ({process.LogPath}) ---\n{process.ReadLog()}");
        }

        await _network.DisposeAsync();
        _directory.Dispose();
    }

    private static async Task<INodeNetwork> CreateNetworkAsync(TestNetworkKind kind) =>
        kind == TestNetworkKind.Loopback || (kind == TestNetworkKind.Auto && !await NetworkNamespaces.AreAvailableAsync())
            ? new LoopbackNetwork()
            : await NetworkNamespaces.CreateAsync();

    private async Task StartHeadAsync(NodeOptions options)
    {
        var host = await _network.AddHostAsync();
        string[] control = [.. await ControlArgumentsAsync(host)];
        for (var attempt = 1; ; attempt++)
        {
            var port = _network.FreePort(host).ToString(CultureInfo.InvariantCulture);
            var metricsPort = MetricsPortFor(host, options);
            var dashboardPort = _options.Dashboard ? _network.FreePort(host) : 0;
            string[] dashboard = ["--dashboard-port", dashboardPort.ToString(CultureInfo.InvariantCulture)];
            var process = Launch("head", host, HeadDirectory, ["start", "--head", "--port", port, .. control, .. options.ToArguments(head: true), .. MetricsArguments(metricsPort), .. dashboard]);
            try
            {
                _nodes.Add(new TestNode(0, host, HeadDirectory, process, await WaitUntilServingAsync(process, HeadDirectory)) { MetricsUrl = MetricsUrl(host, metricsPort) });
                DashboardUrl = dashboardPort == 0 ? null : new Uri($"http://{host.Address}:{dashboardPort}/");
                _headStatus = _cli.ServesControlApi ? new HeadStatusClient(HeadAddress, TokenFile, StatusTimeout) : null;
                break;
            }
            catch (ClusterStartException) when (attempt < HeadStartAttempts && process.HasExited && process.ReadLog().Contains("in use", StringComparison.OrdinalIgnoreCase))
            {
                WriteOutput($"The head's port {port} was taken; starting it on another.");
            }
        }

        await WaitAsync(async () => await TryStatusAsync() is not null, "the head answers for the cluster's status", [Head.Process]);
    }

    // The head's flags for its control service: where it keeps its tables (starting the Redis server for it) and how it restarts.
    private async Task<List<string>> ControlArgumentsAsync(NodeHost host)
    {
        var arguments = new List<string>();
        if (_options.Storage == TestControlStorage.Redis)
        {
            var redis = await RedisServer.StartAsync(host, _network.FreePort(host), Path.Combine(_directory.Path, "redis"), _options.StartTimeout);
            lock (_processes)
            {
                _processes.Add(redis.Process);
            }

            arguments.AddRange(["--storage", redis.Storage()]);
        }

        if (_options.ControlRestartDelay is { } delay)
        {
            arguments.AddRange(["--control-restart-delay-ms", ((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)]);
        }

        return arguments;
    }

    // Starts the nodes in parallel; returns once each serves and the head lists all ALIVE.
    private async Task JoinAsync(List<NodeOptions> nodes)
    {
        var starts = new List<Task<TestNode>>();
        foreach (var options in nodes)
        {
            // Hosts are added one at a time (each is numbered by the network); the processes then start together.
            var index = _nodes.Count + starts.Count;
            var host = await _network.AddHostAsync();
            starts.Add(StartNodeAsync(index, host, options));
        }

        var joined = await Task.WhenAll(starts);
        _nodes.AddRange(joined);
        await WaitAsync(
            async () => await TryStatusAsync() is { } status && joined.All(n => status.Node(n.State.NodeId)?.IsAlive == true),
            $"the head lists {string.Join(", ", joined.Select(n => n.Name))} ALIVE",
            [.. joined.Select(n => n.Process)]);
    }

    private async Task<TestNode> StartNodeAsync(int index, NodeHost host, NodeOptions options)
    {
        var directory = NodeDirectory(index);
        var metricsPort = MetricsPortFor(host, options);
        string[] arguments = ["start", "--address", HeadAddress, "--token-file", options.TokenFile ?? TokenFile, .. options.ToArguments(head: false), .. MetricsArguments(metricsPort)];
        var process = Launch($"node {index}", host, directory, arguments);
        return new TestNode(index, host, directory, process, await WaitUntilServingAsync(process, directory)) { MetricsUrl = MetricsUrl(host, metricsPort) };
    }

    // A port of the node's host for its metrics when it serves them.
    private int? MetricsPortFor(NodeHost host, NodeOptions options) => options.ServeMetrics ? _network.FreePort(host) : null;

    private static string[] MetricsArguments(int? port) => port is { } p ? ["--metrics-port", p.ToString(CultureInfo.InvariantCulture)] : [];

    private static Uri? MetricsUrl(NodeHost host, int? port) => port is { } p ? new Uri($"http://{host.Address}:{p}/metrics") : null;

    private ClusterProcess Launch(string name, NodeHost host, string directory, string[] arguments)
    {
        Directory.CreateDirectory(directory);
        var command = _cli.Command([.. arguments, "--node-ip", host.Address.ToString(), "--temp-dir", directory, "--block"]);
        var process = ClusterProcess.Start(name, host, command, Path.Combine(directory, LogFileName));
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    private async Task<NodeStateFile> WaitUntilServingAsync(ClusterProcess process, string directory)
    {
        NodeStateFile? state = null;
        await WaitAsync(() => Task.FromResult((state = NodeStateFile.TryRead(directory)) is not null), $"{process.Name} writes {NodeStateFile.FileName}", [process]);
        return state!;
    }

    // Waits for the condition, failing at once if one of the processes it depends on exits.
    private async Task WaitAsync(Func<Task<bool>> condition, string what, IReadOnlyList<ClusterProcess> processes)
    {
        try
        {
            await Eventually.TrueAsync(
                async () => processes.FirstOrDefault(p => p.HasExited) is { } exited
                    ? throw new ClusterStartException($"{exited} exited with code {exited.ExitCode} before {what}. Its output:\n{exited.ReadLog()}")
                    : await condition(),
                what,
                _options.StartTimeout);
        }
        catch (TimeoutException e)
        {
            throw new ClusterStartException($"{e.Message}\n{string.Join('\n', processes.Select(p => $"--- {p} output ---\n{p.ReadLog()}"))}", e);
        }
    }

    private async Task<ClusterStatus?> TryStatusAsync()
    {
        try
        {
            return await StatusAsync();
        }
        catch (ClusterStatusException)
        {
            return null; // not serving yet
        }
    }

    private string HeadDirectory => NodeDirectory(0);

    private string NodeDirectory(int index) => Path.Combine(_directory.Path, $"node-{index}");

    private void WriteOutput(string text)
    {
        try
        {
            _output?.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // The test is over (xunit refuses output then): the logs stay in the node directories until they are removed.
        }
    }
}
