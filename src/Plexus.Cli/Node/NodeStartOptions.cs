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

    public ClusterNodeSettings ToSettings(string token)
    {
        string temporary = Path.GetFullPath(TempDirectory);
        var settings = new ClusterNodeSettings
        {
            Head = Head,
            HeadAddress = HeadAddress,
            Port = Port,
            NodeIp = NodeIp ?? LocalAddress.Default(),
            TempDirectory = temporary,
            Cpus = Cpus,
            ObjectStoreMemory = ObjectStoreMemory,
            Resources = Resources,
            Token = token,
            ControlStorage = Storage ?? DefaultStorage(temporary),
        };
        return NodeTimeout is { } timeout ? settings with { NodeTimeout = timeout } : settings;
    }

    /// <summary>A head's control service keeps its tables in files beside the node's own, so a restarted head finds them.</summary>
    public static string DefaultStorage(string tempDirectory) => "file://" + Path.Combine(tempDirectory, "control");
}
