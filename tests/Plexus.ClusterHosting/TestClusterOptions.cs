namespace Plexus.ClusterHosting;

/// <summary>What network a <see cref="TestCluster"/> runs on.</summary>
internal enum TestNetworkKind
{
    /// <summary>Network namespaces when this process can make them (root), else loopback addresses.</summary>
    Auto,

    /// <summary>A namespace and an address on a bridge per node; fails without root.</summary>
    Namespaces,

    /// <summary>An address of its own on loopback per node (127.0.0.2, 127.0.0.3, ...).</summary>
    Loopback,
}

/// <summary>Where a <see cref="TestCluster"/>'s head keeps its control service's tables.</summary>
internal enum TestControlStorage
{
    /// <summary>Files under the head's directory (`plexus start --head`'s default).</summary>
    Files,

    /// <summary>A <see cref="RedisServer"/> the cluster starts on the head's host (<c>--storage redis://...</c>).</summary>
    Redis,
}

/// <summary>How a <see cref="TestCluster"/> starts.</summary>
internal sealed record TestClusterOptions
{
    /// <summary>The `plexus` tool to run; by default the real one (<see cref="PlexusCli.Real"/>).</summary>
    public PlexusCli? Cli { get; init; }

    /// <summary>Default: <see cref="TestNetworkKind.Auto"/>.</summary>
    public TestNetworkKind Network { get; init; } = TestNetworkKind.Auto;

    /// <summary>
    /// How long a node may take to serve and be listed ALIVE. Default: 120 s, generous on purpose:
    /// a loaded 2-core machine starts .NET processes slowly, and a wait returns once its condition holds.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a driver may run before it is killed. Default: 120 s.</summary>
    public TimeSpan DriverTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Where the head's control service keeps its tables. Default: <see cref="TestControlStorage.Files"/>.</summary>
    public TestControlStorage Storage { get; init; } = TestControlStorage.Files;

    /// <summary>How long the head waits before restarting its exited control service (<c>--control-restart-delay-ms</c>); null for the tool's back-off.</summary>
    public TimeSpan? ControlRestartDelay { get; init; }

    /// <summary>Whether the head serves its dashboard (on a free port of its host: <see cref="TestCluster.DashboardUrl"/>). Default: false, <c>--dashboard-port 0</c>.</summary>
    public bool Dashboard { get; init; }
}
