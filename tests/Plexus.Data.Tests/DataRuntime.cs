namespace Plexus.Data.Tests;

/// <summary>
/// One embedded cluster with real worker processes, shared by the tests that run datasets: a
/// process holds one runtime at a time, and a 2-core machine runs one cluster at a time well.
/// </summary>
public sealed class DataRuntime : IAsyncLifetime
{
    private PlexusRuntime? plexus;

    public PlexusRuntime Plexus => plexus ?? throw new InvalidOperationException("The runtime has not started.");

    public async Task InitializeAsync() =>
        plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 1L << 30 });

    public async Task DisposeAsync()
    {
        if (plexus is not null)
        {
            await plexus.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DataRuntimeCollection : ICollectionFixture<DataRuntime>
{
    public const string Name = "Plexus.Data runtime";
}
