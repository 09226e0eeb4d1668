using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Plexus.Control.Jobs;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests;

/// <summary>
/// The job table over a store that outlives it: a table loaded again from the same store is what
/// a restarted control service sees.
/// </summary>
public sealed class JobHistoryTests : IAsyncDisposable
{
    private readonly InMemoryControlStore _store = new();

    // Advanced between starts and between finishes: a table loading the store orders jobs by the
    // times recorded, which have millisecond resolution.
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task AReaderLearnsAJobThatFinishedBeforeTheServiceRestarted()
    {
        var table = await LoadAsync(finishedJobsKept: 10);
        var jobs = new[] { NewId(), NewId(), NewId() };
        foreach (var job in jobs)
        {
            await RegisterAsync(table, job);
        }

        var seen = Revision(table.List(new Proto.ListJobsRequest()));
        await table.FinishAsync(jobs[0], CancellationToken.None);

        var restarted = await LoadAsync(finishedJobsKept: 10);
        var listed = restarted.List(Since(seen));

        var finished = Assert.Single(listed.Jobs, j => j.State == Proto.JobState.Finished);
        Assert.Equal(jobs[0], finished.JobId);
        Assert.Empty(restarted.List(Since(Revision(listed))).Jobs);
    }

    [Fact]
    public async Task TheHistoryCapForgetsOnlyTheEarliestFinishedJobs()
    {
        var table = await LoadAsync(finishedJobsKept: 2);
        var running = NewId();
        var (first, second, third) = (NewId(), NewId(), NewId());
        foreach (var job in new[] { running, first, second, third })
        {
            await RegisterAsync(table, job);
        }

        // Finished in another order than started: the cap goes by finish.
        await table.FinishAsync(second, CancellationToken.None);
        await table.FinishAsync(first, CancellationToken.None);
        await table.FinishAsync(third, CancellationToken.None);

        var kept = new[] { running, first, third }.Select(Hex);
        Assert.Equal(kept, table.List(new Proto.ListJobsRequest()).Jobs.Select(j => Hex(j.JobId)));
        Assert.Equal(kept, (await LoadAsync(finishedJobsKept: 2)).List(new Proto.ListJobsRequest()).Jobs.Select(j => Hex(j.JobId)));
    }

    [Fact]
    public async Task ALowerCapForgetsTheEarliestFinishedJobsWhenTheTableLoads()
    {
        var table = await LoadAsync(finishedJobsKept: 10);
        var jobs = new[] { NewId(), NewId(), NewId() };
        foreach (var job in jobs)
        {
            await RegisterAsync(table, job);
        }

        await table.FinishAsync(jobs[2], CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await table.FinishAsync(jobs[0], CancellationToken.None);

        var restarted = await LoadAsync(finishedJobsKept: 1);

        Assert.Equal(new[] { jobs[0], jobs[1] }.Select(Hex), restarted.List(new Proto.ListJobsRequest()).Jobs.Select(j => Hex(j.JobId)));
    }

    private static ByteString NewId() => ByteString.CopyFrom(ControlTestCluster.NewId());

    private static string Hex(ByteString id) => Convert.ToHexStringLower(id.Span);

    private static JobTableRevision Revision(Proto.ListJobsReply reply) => new(reply.Incarnation, reply.Revision);

    private static Proto.ListJobsRequest Since(JobTableRevision seen) => new() { Incarnation = seen.Incarnation, SinceRevision = seen.Revision };

    private Task RegisterAsync(JobTable table, ByteString job)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return table.RegisterAsync(new Proto.RegisterJobRequest { JobId = job, DriverPid = 1, Namespace = "default", Entry = "A.dll" }, CancellationToken.None);
    }

    private async Task<JobTable> LoadAsync(int finishedJobsKept)
    {
        var table = new JobTable(_store, finishedJobsKept, _time, NullLogger<JobTable>.Instance);
        await table.LoadAsync(CancellationToken.None);
        return table;
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
