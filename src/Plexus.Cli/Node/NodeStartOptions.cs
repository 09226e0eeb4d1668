using System.Net;
using Plexus.Cluster;

namespace Plexus.Cli.Node;

/// <summary>What <c>plexus start</c> was given, checked by the parser; the token is resolved later, where the node runs.</summary>
internal sealed record NodeStartOptions
{
    public required bool Head { get; init; }

    /// <summary>The head's control address a joining node registers with (<c>host:port</c>); null on the head.</summary>
    public required string? HeadAddress { get; init; }

    public required int Port { get; init; }

    /// <summary>The address to bind and advertise; null for <see cref="LocalAddress.Default"/>.</summary>
    public required string? NodeIp { get; init; }

    public required string TempDirectory { get; init; }

    public required int? Cpus { get; init; }

    public required long? ObjectStoreMemory { get; init; }

    public required IReadOnlyDictionary<string, double> Resources { get; init; }

    public required FileInfo? TokenFile { get; init; }

    /// <summary>How long the head waits for a heartbeat before it declares a node dead; null for the default.</summary>
    public TimeSpan? NodeTimeout { get; init; }

    /// <summary>Where the head's control service keeps its tables; null for files under <c>&lt;temp-dir&gt;/control</c>.</summary>
    public string? Storage { get; init; }

    /// <summary>How long the head waits before restarting its exited control service; null to back off from 0.5 s to 5 s.</summary>
    public TimeSpan? ControlRestartDelay { get; init; }

    /// <summary>The port of the head's dashboard on its address; 0 for none.</summary>
    public int DashboardPort { get; init; }

    /// <summary>The port of the node's Prometheus metrics (<c>/metrics</c>) on its address; 0 for none.</summary>
    public int MetricsPort { get; init; }

    /// <summary>How long a worker beyond its pool's size stays idle before it is asked to stop; null for the node's default (5 s).</summary>
    public TimeSpan? WorkerIdleTimeout { get; init; }

    /// <summary>The node's settings; <paramref name="controlAddress"/> is the head's own control service (on the head only).</summary>
    public ClusterNodeSettings ToSettings(string token, string? controlAddress = null) => new()
    {
        Head = Head,
        HeadAddress = Head ? controlAddress : HeadAddress,
        NodeIp = NodeIpOrDefault,
        TempDirectory = Path.GetFullPath(TempDirectory),
        Cpus = Cpus,
        ObjectStoreMemory = ObjectStoreMemory,
        Resources = Resources,
        Token = token,
        MetricsPort = MetricsPort,
        WorkerIdleTimeout = WorkerIdleTimeout,
    };

    /// <summary>How the head starts its control service process.</summary>
    /// <exception cref="ArgumentException"><see cref="NodeIp"/> is not an IP address.</exception>
    public ControlServiceSettings ToControlSettings()
    {
        string temporary = Path.GetFullPath(TempDirectory);
        return new ControlServiceSettings
        {
            Port = Port,
            ListenAddress = IPAddress.TryParse(NodeIpOrDefault, out var ip) ? ip : throw new ArgumentException($"'{NodeIpOrDefault}' is not an IP address (--node-ip).", nameof(NodeIp)),
            TempDirectory = temporary,
            Storage = Storage ?? DefaultStorage(temporary),
            NodeTimeout = NodeTimeout,
            RestartDelay = ControlRestartDelay,
            DashboardPort = DashboardPort,
        };
    }

    private string NodeIpOrDefault => NodeIp ?? LocalAddress.Default();

    /// <summary>A head's control service keeps its tables in files beside the node's own, so a restarted head finds them.</summary>
    public static string DefaultStorage(string tempDirectory) => "file://" + Path.Combine(tempDirectory, "control");
}
