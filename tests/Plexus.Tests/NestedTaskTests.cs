namespace Plexus.Tests;

public sealed class OneSlotCluster : ClusterFixture
{
    protected override PlexusOptions Options => new() { Cpus = 1, StoreCapacity = 64L << 20 };
}

public sealed class NestedTaskTests(OneSlotCluster cluster) : IClassFixture<OneSlotCluster>
{
    [Fact]
    public async Task ThousandNestedTasksFinishWithOneSlot()
    {
        var depth = cluster.Plexus.Task<int, int>(TestFunctions.ChainAsync).Remote(1000);
        Assert.Equal(1000, await depth.GetAsync(TimeSpan.FromMinutes(2)));
    }
}
