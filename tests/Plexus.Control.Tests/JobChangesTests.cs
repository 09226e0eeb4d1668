namespace Plexus.Control.Tests;

/// <summary>Readers that poll the job table over gRPC get the changes since their last read, not the whole history.</summary>
public sealed class JobChangesTests
{
    [Fact]
    public async Task AReaderWithTheLastRevisionGetsOnlyTheJobsChangedSince()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        byte[] first = ControlTestCluster.NewId();
        byte[] second = ControlTestCluster.NewId();
        byte[] third = ControlTestCluster.NewId();
        await cluster.Client.RegisterJobAsync(first, driverPid: 100, "default", "A.dll");
        await cluster.Client.RegisterJobAsync(second, driverPid: 200, "default", "B.dll");
        var everything = await cluster.Client.ListJobsChangedSinceAsync(since: null);

        await cluster.Client.RegisterJobAsync(third, driverPid: 300, "default", "C.dll");
        await cluster.Client.FinishJobAsync(first);
        var changes = await cluster.Client.ListJobsChangedSinceAsync(everything.Revision);

        Assert.Equal([Hex(first), Hex(second)], everything.Jobs.Select(j => Hex(j.JobId)));
        Assert.Equal([(Hex(first), JobState.Finished), (Hex(third), JobState.Running)], changes.Jobs.Select(j => (Hex(j.JobId), j.State)));
        Assert.Empty((await cluster.Client.ListJobsChangedSinceAsync(changes.Revision)).Jobs);
        Assert.Equal(3, (await cluster.Client.ListJobsAsync()).Count);
    }

    [Fact]
    public async Task AFinishedJobIsSeenOnceByAReaderThatPolledBeforeAndAfterItFinished()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        byte[] job = ControlTestCluster.NewId();
        byte[] other = ControlTestCluster.NewId();
        await cluster.Client.RegisterJobAsync(job, driverPid: 100, "default", "A.dll");
        await cluster.Client.RegisterJobAsync(other, driverPid: 200, "default", "B.dll");
        var before = await cluster.Client.ListJobsChangedSinceAsync(since: null);

        await cluster.Client.FinishJobAsync(job);
        var after = await cluster.Client.ListJobsChangedSinceAsync(before.Revision);
        var later = await cluster.Client.ListJobsChangedSinceAsync(after.Revision);

        Assert.All(before.Jobs, j => Assert.Equal(JobState.Running, j.State));
        var finished = Assert.Single(after.Jobs);
        Assert.Equal(Hex(job), Hex(finished.JobId));
        Assert.Equal(JobState.Finished, finished.State);
        Assert.Empty(later.Jobs);
    }

    [Fact]
    public async Task AReaderOfAnotherIncarnationGetsEveryJob()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        byte[] job = ControlTestCluster.NewId();
        await cluster.Client.RegisterJobAsync(job, driverPid: 100, "default", "A.dll");
        var seen = await cluster.Client.ListJobsChangedSinceAsync(since: null);

        var stranger = seen.Revision with { Incarnation = seen.Revision.Incarnation + 1 };
        var listed = await cluster.Client.ListJobsChangedSinceAsync(stranger);

        Assert.Equal(Hex(job), Hex(Assert.Single(listed.Jobs).JobId));
        Assert.Equal(seen.Revision, listed.Revision);
    }

    private static string Hex(byte[] id) => Convert.ToHexStringLower(id);
}
