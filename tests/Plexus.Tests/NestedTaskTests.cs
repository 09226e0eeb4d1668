namespace Plexus.Tests;

public sealed class OneSlotCluster : ClusterFixture
{
    protected override PlexusOptions Options => new() { Cpus = 1, StoreCapacity = 64L << 20 };
}

[Slow]
public sealed class NestedTaskTests(OneSlotCluster cluster) : IClassFixture<OneSlotCluster>
{
    [Fact]
    public async Task ThousandNestedTasksFinishWithOneSlot()
    {
        var depth = cluster.Plexus.Task<int, int>(TestFunctions.ChainAsync).Remote(1000);
        Assert.Equal(1000, await depth.GetAsync(TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public async Task FractionalCpuTasksShareASlot()
    {
        using var directory = new TempDirectory();
        var halves = cluster.Plexus.Task<string, int, bool>(TestFunctions.SeesAnotherRunningAsync).WithOptions(new TaskOptions { Cpus = 0.5 });
        var together = new[] { halves.Remote(directory.Path, 30_000), halves.Remote(directory.Path, 30_000) };
        Assert.All(await cluster.Plexus.GetAsync(together), Assert.True);
    }

    [Fact]
    public async Task WholeCpuTasksDoNotShareASlot()
    {
        using var directory = new TempDirectory();
        var whole = cluster.Plexus.Task<string, int, bool>(TestFunctions.SeesAnotherRunningAsync);
        var apart = new[] { whole.Remote(directory.Path, 500), whole.Remote(directory.Path, 500) };
        Assert.All(await cluster.Plexus.GetAsync(apart), Assert.False);
    }

    [Fact]
    public async Task ATaskAskingMoreCpusThanAWorkerHasStaysPendingAndIsReported()
    {
        var big = cluster.Plexus.Task<int, int>(TestFunctions.Echo).WithOptions(new TaskOptions { Cpus = 2, Name = "too-big" }).Remote(1);

        // It holds nothing back: a task submitted after it runs.
        Assert.Equal(2, await cluster.Plexus.Task<int, int>(TestFunctions.Echo).Remote(2));
        await Eventually.TrueAsync(() => cluster.Logs.HasWarning("too-big", "2 CPUs", "stays pending"));
        Assert.Equal(ObjectState.Pending, big.Info.State);
    }
}
