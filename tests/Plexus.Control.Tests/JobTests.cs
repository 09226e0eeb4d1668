namespace Plexus.Control.Tests;

public sealed class JobTests
{
    [Fact]
    public async Task JobsAreRegisteredFinishedAndListed()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        byte[] first = ControlTestCluster.NewId();
        byte[] second = ControlTestCluster.NewId();

        await cluster.Client.RegisterJobAsync(first, driverPid: 100, "analytics", "WordCount.dll");
        await cluster.Client.RegisterJobAsync(second, driverPid: 200, "default", "Sort.dll");
        await cluster.Client.FinishJobAsync(first);

        var jobs = await cluster.Client.ListJobsAsync();
        Assert.Equal(2, jobs.Count);
        var finished = Assert.Single(jobs, j => j.JobId.AsSpan().SequenceEqual(first));
        Assert.Equal(JobState.Finished, finished.State);
        Assert.Equal("analytics", finished.Namespace);
        Assert.Equal("WordCount.dll", finished.Entry);
        Assert.Equal(100, finished.DriverPid);
        Assert.NotNull(finished.EndTime);
        Assert.True(finished.EndTime >= finished.StartTime);
        var running = Assert.Single(jobs, j => j.JobId.AsSpan().SequenceEqual(second));
        Assert.Equal(JobState.Running, running.State);
        Assert.Null(running.EndTime);
    }

    [Fact]
    public async Task RegisteringAndFinishingAJobAgainIsHarmless()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        byte[] jobId = ControlTestCluster.NewId();

        await cluster.Client.RegisterJobAsync(jobId, driverPid: 100, "default", "A.dll");
        await cluster.Client.RegisterJobAsync(jobId, driverPid: 100, "default", "A.dll");
        await cluster.Client.FinishJobAsync(jobId);
        await cluster.Client.FinishJobAsync(jobId);

        Assert.Equal(JobState.Finished, Assert.Single(await cluster.Client.ListJobsAsync()).State);
    }

    [Fact]
    public async Task JobIdClaimedByAnotherDriverIsRefused()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        byte[] jobId = ControlTestCluster.NewId();
        await cluster.Client.RegisterJobAsync(jobId, driverPid: 100, "default", "A.dll");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.Client.RegisterJobAsync(jobId, driverPid: 200, "default", "B.dll"));

        Assert.Contains("already registered", e.Message);
        Assert.Equal(100, Assert.Single(await cluster.Client.ListJobsAsync()).DriverPid);
    }

    [Fact]
    public async Task FinishingAnUnknownJobFails()
    {
        await using var cluster = await ControlTestCluster.StartAsync();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.Client.FinishJobAsync(ControlTestCluster.NewId()));

        Assert.Contains("not registered", e.Message);
    }
}
