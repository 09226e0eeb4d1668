namespace Plexus.Cluster;

/// <summary>How one node of a cluster starts: what `plexus start` was given, validated.</summary>
internal sealed record ClusterNodeSettings
{
    /// <summary>True for the head node: the node that made the cluster's token and runs its control service process (see <c>plexus start --head</c>).</summary>
    public bool Head { get; init; }

    /// <summary>The control service's address (<c>host:port</c>) the node registers with: the head's, and on the head that of the service process it runs.</summary>
    public required string? HeadAddress { get; init; }

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

    /// <summary>
    /// The port on <see cref="NodeIp"/> where the node serves its metrics in Prometheus format
    /// (<c>/metrics</c>, <see cref="MetricsEndpoint"/>); 0 serves none. Default: 0.
    /// </summary>
    public int MetricsPort { get; init; }

    /// <summary>
    /// How long a worker beyond its pool's size stays idle before the node asks it to stop
    /// (<see cref="Plexus.Node.NodeOptions.WorkerIdleTimeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> keeps every
    /// worker). Default: null, the node's own default (5 seconds).
    /// </summary>
    public TimeSpan? WorkerIdleTimeout { get; init; }

    /// <summary>The cluster token every process presents.</summary>
    public required string Token { get; init; }
}
