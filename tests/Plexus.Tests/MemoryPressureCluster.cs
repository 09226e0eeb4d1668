namespace Plexus.Tests;

/// <summary>A cluster with a small store (256 MiB), so tests can fill it, and call sites recorded.</summary>
public sealed class MemoryPressureCluster : ClusterFixture
{
    public const long Capacity = 256L << 20;

    protected override PlexusOptions Options => new() { Cpus = 2, StoreCapacity = Capacity, RecordCallSites = true };
}

/// <summary>A cluster whose full store gives up quickly: 128 MiB, creates wait at most 2 s.</summary>
public sealed class StoreFullCluster : ClusterFixture
{
    public const long Capacity = 128L << 20;

    protected override PlexusOptions Options => new() { Cpus = 2, StoreCapacity = Capacity, StoreFullTimeout = TimeSpan.FromSeconds(2) };
}
