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

    [Fact]
    public async Task FractionalCpuTasksShareASlot()
    {
        var directory = Directory.CreateTempSubdirectory("plexus-cpus-");
        try
        {
            var halves = cluster.Plexus.Task<string, int, bool>(TestFunctions.SeesAnotherRunningAsync).WithOptions(new TaskOptions { Cpus = 0.5 });
            var together = new[] { halves.Remote(directory.FullName, 30_000), halves.Remote(directory.FullName, 30_000) };
            Assert.All(await cluster.Plexus.GetAsync(together), Assert.True);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task WholeCpuTasksDoNotShareASlot()
    {
        var directory = Directory.CreateTempSubdirectory("plexus-cpus-");
        try
        {
            var whole = cluster.Plexus.Task<string, int, bool>(TestFunctions.SeesAnotherRunningAsync);
            var apart = new[] { whole.Remote(directory.FullName, 500), whole.Remote(directory.FullName, 500) };
            Assert.All(await cluster.Plexus.GetAsync(apart), Assert.False);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ATaskAskingMoreCpusThanAWorkerHasStaysPendingAndIsReported()
    {
        var big = cluster.Plexus.Task<int, int>(TestFunctions.Echo).WithOptions(new TaskOptions { Cpus = 2, Name = "too-big" }).Remote(1);

        // It holds nothing back: a task submitted after it runs.
        Assert.Equal(2, await cluster.Plexus.Task<int, int>(TestFunctions.Echo).Remote(2));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(cluster.Logs.HasWarning("too-big", "2 CPUs", "stays pending"))));
        Assert.Equal(ObjectState.Pending, big.Info.State);
    }
}
