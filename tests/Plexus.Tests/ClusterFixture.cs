namespace Plexus.Tests;

/// <summary>Starts an embedded cluster for a test class and stops it (workers included) afterwards.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public PlexusRuntime Plexus { get; private set; } = null!;

    protected virtual PlexusOptions Options => new() { Cpus = 2, StoreCapacity = 512L << 20 };

    /// <summary>What the cluster logs; warnings and errors are kept for tests to check.</summary>
    public RecordingLoggerFactory Logs { get; } = new();

    public async Task InitializeAsync() => Plexus = await PlexusRuntime.StartLocalAsync(Options, Logs);

    public async Task DisposeAsync() => await Plexus.DisposeAsync();
}
