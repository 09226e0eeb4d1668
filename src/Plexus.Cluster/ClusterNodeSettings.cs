namespace Plexus.Cluster;

/// <summary>How one node of a cluster starts: what `plexus start` was given, validated.</summary>
internal sealed record ClusterNodeSettings
{
    /// <summary>True for the head node, which also serves the control service on <see cref="Port"/>.</summary>
    public bool Head { get; init; }

    /// <summary>The head's control address (<c>host:port</c>) a joining node registers with; null on the head.</summary>
    public string? HeadAddress { get; init; }

    /// <summary>The head's control port. Default: 6380.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The address this node binds and advertises (several nodes on one machine each get their own).</summary>
    public required string NodeIp { get; init; }

    /// <summary>The node's directory: store file, spill files, package cache, logs, pid file.</summary>
    public required string TempDirectory { get; init; }

    /// <summary>CPU slots offered. Default: the number of cores.</summary>
    public int? Cpus { get; init; }

    /// <summary>Bytes of shared memory for the object store. Default: 30% of physical memory.</summary>
    public long? ObjectStoreMemory { get; init; }

    /// <summary>Custom resources offered, e.g. <c>{"ssd": 1}</c>.</summary>
    public IReadOnlyDictionary<string, double> Resources { get; init; } = new Dictionary<string, double>();

    /// <summary>The cluster token every process presents.</summary>
    public required string Token { get; init; }

    /// <summary>How long the head waits without a heartbeat before it declares a node dead (head only). Default: 10 s.</summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the head's control service keeps its tables (<c>ControlServerOptions.Storage</c>; head only). Default: <c>memory</c>.</summary>
    public string ControlStorage { get; init; } = Plexus.Control.Storage.ControlStorage.MemoryText;

    /// <summary>The default control port of a head node.</summary>
    public const int DefaultPort = 6380;
}
