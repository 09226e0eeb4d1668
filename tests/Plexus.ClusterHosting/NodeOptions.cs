namespace Plexus.ClusterHosting;

/// <summary>What one node of a <see cref="TestCluster"/> offers; null leaves the `plexus start` default.</summary>
internal sealed record NodeOptions
{
    /// <summary>A node with every default.</summary>
    public static NodeOptions Default { get; } = new();

    /// <summary>CPU slots (<c>--cpus</c>); the tool's default is the machine's cores.</summary>
    public int? Cpus { get; init; }

    /// <summary>Custom resources (<c>--resources</c>), e.g. <c>{"ssd": 1}</c>.</summary>
    public IReadOnlyDictionary<string, double>? Resources { get; init; }

    /// <summary>Bytes of shared memory for the object store (<c>--object-store-memory</c>).</summary>
    public long? ObjectStoreMemory { get; init; }

    /// <summary>The token file a joining node presents; null: the head's. Ignored for the head.</summary>
    public string? TokenFile { get; init; }

    /// <summary>
    /// How long the head waits for a heartbeat before it declares a node dead (<c>--node-timeout-ms</c>);
    /// used by the head only, which is the one that detects.
    /// </summary>
    public TimeSpan? NodeTimeout { get; init; }

    /// <summary>Whether the node serves its Prometheus metrics (<c>--metrics-port</c>, a free port of its host: <see cref="TestNode.MetricsUrl"/>).</summary>
    public bool ServeMetrics { get; init; }

    /// <summary>These options as `plexus start` flags, for the head or a joining node (all but <see cref="TokenFile"/>, which the cluster passes).</summary>
    public IEnumerable<string> ToArguments(bool head)
    {
        if (head && NodeTimeout is { } timeout)
        {
            yield return "--node-timeout-ms";
            yield return ((long)timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (Cpus is { } cpus)
        {
            yield return "--cpus";
            yield return cpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (Resources is { } resources)
        {
            yield return "--resources";
            yield return System.Text.Json.JsonSerializer.Serialize(resources);
        }

        if (ObjectStoreMemory is { } bytes)
        {
            yield return "--object-store-memory";
            yield return bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
