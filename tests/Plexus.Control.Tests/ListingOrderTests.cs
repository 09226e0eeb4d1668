namespace Plexus.Control.Tests;

public sealed class ListingOrderTests
{
    private const int Count = 64;

    [Fact]
    public async Task JobsStartedWithinOneMillisecondAreListedInStartOrder()
    {
        await using var local = await InProcessControlService.StartAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new StoppedWallClock());
        var ids = Enumerable.Range(0, Count).Select(_ => ControlTestCluster.NewId()).ToList();

        foreach (byte[] id in ids)
        {
            await local.Client.RegisterJobAsync(id, driverPid: 1, "default", "A.dll");
        }

        Assert.Equal(ids.Select(Convert.ToHexStringLower), (await local.Client.ListJobsAsync()).Select(j => Convert.ToHexStringLower(j.JobId)));
    }

    [Fact]
    public async Task NodesRegisteredWithinOneMillisecondAreListedInRegistrationOrder()
    {
        await using var local = await InProcessControlService.StartAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new StoppedWallClock());
        var ids = Enumerable.Range(0, Count).Select(_ => ControlTestCluster.NewId()).ToList();

        foreach (byte[] id in ids)
        {
            await local.Client.RegisterNodeAsync(id, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);
        }

        Assert.Equal(ids.Select(Convert.ToHexStringLower), (await local.Client.ListNodesAsync()).Select(n => Convert.ToHexStringLower(n.NodeId)));
    }

    /// <summary>A wall clock that never advances, so every registration has the same time; timers and timestamps run as usual.</summary>
    private sealed class StoppedWallClock : TimeProvider
    {
        private readonly DateTimeOffset _now = TimeProvider.System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
