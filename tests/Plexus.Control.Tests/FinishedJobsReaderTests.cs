using Plexus.Hosting.Cluster;

namespace Plexus.Control.Tests;

/// <summary>How a node learns which jobs finished: from the job table's changes, each finish once, and again while the node keeps the job.</summary>
public sealed class FinishedJobsReaderTests
{
    [Fact]
    public async Task ANodeIsHandedEachFinishedJobOnce()
    {
        await using var local = await StartAsync();
        var (job, other) = (NewJob(), NewJob());
        await RegisterAsync(local, job);
        await RegisterAsync(local, other);
        var handed = new List<string>();
        var reader = new FinishedJobsReader(local.Client, finished => Record(handed, finished, kept: []));

        await reader.ReadAsync(CancellationToken.None);
        await local.Client.FinishJobAsync(ControlIds.Job(job));
        await reader.ReadAsync(CancellationToken.None);
        await reader.ReadAsync(CancellationToken.None);

        Assert.Equal(["", $"{job}", ""], handed);
    }

    [Fact]
    public async Task AFinishedJobTheNodeKeptIsHandedOverAgainUntilItIsRetired()
    {
        await using var local = await StartAsync();
        var job = NewJob();
        await RegisterAsync(local, job);
        await local.Client.FinishJobAsync(ControlIds.Job(job));
        var handed = new List<string>();
        bool actorsLive = true;
        var reader = new FinishedJobsReader(local.Client, finished => Record(handed, finished, kept: actorsLive ? [job] : []));

        await reader.ReadAsync(CancellationToken.None);
        await reader.ReadAsync(CancellationToken.None);
        actorsLive = false;
        await reader.ReadAsync(CancellationToken.None);
        await reader.ReadAsync(CancellationToken.None);

        Assert.Equal([$"{job}", $"{job}", $"{job}", ""], handed);
    }

    private static Task<InProcessControlService> StartAsync() => InProcessControlService.StartAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    private static JobId NewJob() => ControlIds.JobOf(ControlTestCluster.NewId())!.Value;

    private static Task RegisterAsync(InProcessControlService local, JobId job) =>
        local.Client.RegisterJobAsync(ControlIds.Job(job), driverPid: 1, "default", "A.dll");

    // What one read handed to the node, as one line.
    private static IReadOnlyList<JobId> Record(List<string> handed, IEnumerable<JobId> finished, IReadOnlyList<JobId> kept)
    {
        handed.Add(string.Join(",", finished));
        return kept;
    }
}
