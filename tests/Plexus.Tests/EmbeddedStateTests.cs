using Plexus.Control;

namespace Plexus.Tests;

/// <summary>The embedded cluster reports its tasks to the control service in the driver's process, as a cluster's nodes do to the head.</summary>
public sealed class EmbeddedStateTests
{
    [Fact]
    public async Task TheEmbeddedClustersTasksAreListedWithTheirStateWorkerAndError()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20, Telemetry = true });
        Assert.Equal(9, await plexus.Task<int, int>(Square).Remote(3));
        await Assert.ThrowsAsync<TaskFailedException>(async () => await plexus.Task<int>(Fail).Remote());
        await using var state = new ClusterState(plexus.EmbeddedControl());

        var summary = await Eventually.ValueAsync(
            () => state.SummarizeTasksAsync(),
            functions => functions.Any(f => f.Name == "EmbeddedStateTests.Fail" && f.Counts.GetValueOrDefault(ClusterTaskState.Failed) == 1)
                && functions.Any(f => f.Name == "EmbeddedStateTests.Square" && f.Counts.GetValueOrDefault(ClusterTaskState.Finished) == 1),
            "both tasks are reported ended");

        var failed = Assert.Single((await state.ListTasksAsync(new TaskQuery { State = ClusterTaskState.Failed })).Tasks);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.ErrorType);
        Assert.Equal("embedded failure", failed.Reason);
        var square = Assert.Single((await state.ListTasksAsync(new TaskQuery { Name = "EmbeddedStateTests.Square" })).Tasks);
        Assert.Contains(square.WorkerPid, plexus.EmbeddedNode().WorkerPids);
        Assert.NotNull(square.StartedAt);
        Assert.True(square.EndedAt >= square.StartedAt, square.ToString());
        Assert.Equal(plexus.EmbeddedNode().WorkerPids.Order(), (await state.ListWorkersAsync()).Select(w => w.Pid).Order());
        Assert.Equal(2, summary.Sum(f => f.Counts.Values.Sum()));
    }

    [Fact]
    public async Task ATaskWaitingForAnUnfinishedArgumentIsListedPendingArgsUntilItRuns()
    {
        using var directory = new TempDirectory();
        var release = Path.Combine(directory.Path, "release");
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20, Telemetry = true });
        await using var state = new ClusterState(plexus.EmbeddedControl());
        using var held = plexus.Task<int, string, int>(TestFunctions.GatedAsync).Remote(7, release);
        using var after = plexus.Task<int, int>(Square).WithOptions(new TaskOptions { Name = "after-held" }).Remote(held);

        var pending = await Eventually.ValueAsync(
            () => state.ListTasksAsync(new TaskQuery { State = ClusterTaskState.PendingArgs }),
            page => page.Tasks.Count == 1,
            "the task waiting for its argument is listed pending args");
        await File.WriteAllTextAsync(release, "");
        Assert.Equal(49, await after);

        var waiting = Assert.Single(pending.Tasks);
        Assert.Equal("after-held", waiting.Name);
        Assert.Equal($"waits for 1 argument to be ready: {held.Id}", waiting.Reason);
        await Eventually.ValueAsync(
            () => state.ListTasksAsync(new TaskQuery { Name = "after-held" }),
            page => page.Tasks.Single().State == ClusterTaskState.Finished,
            "the task runs once its argument is ready");
    }

    [Fact]
    public async Task StoredObjectsAreListedWithTheirCallSiteAndGroupedInTheMemoryReport()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20, Telemetry = true });
        await using var state = new ClusterState(plexus.EmbeddedControl());
        using var put = plexus.Put(new byte[300_000]);
        using var made = plexus.Task<int, byte[]>(Block).Remote(200_000);
        Assert.Equal(200_000, (await made).Length);

        var listing = await Eventually.ValueAsync(
            () => state.ListObjectsAsync(),
            l => l.Objects.Count == 2 && l.Objects.All(o => o.Location == "memory"),
            "the put and the task's return are listed, sealed (a report may come while the return is still written)");
        var byCallSite = await state.GetMemoryReportAsync(MemoryGrouping.CallSite);
        var byJob = await state.GetMemoryReportAsync(MemoryGrouping.Job);

        Assert.Equal(["driver (put)", "EmbeddedStateTests.Block"], listing.Objects.Select(o => o.CallSite));
        Assert.All(listing.Objects, o => Assert.Equal(plexus.Job.ToString(), o.JobId));
        Assert.True(listing.Objects[0].Size >= 300_000 && listing.Objects[1].Size >= 200_000, string.Join(", ", listing.Objects));
        Assert.Equal(listing.Objects.Select(o => (o.CallSite, o.Size)).Order(), byCallSite.Groups.Select(g => (g.Key, g.Bytes)).Order());
        Assert.Equal((plexus.Job.ToString(), listing.Objects.Sum(o => o.Size)), (Assert.Single(byJob.Groups).Key, byJob.Groups[0].Bytes));
        Assert.Equal(64L << 20, Assert.Single(byJob.Nodes).CapacityBytes);
    }

    [Fact]
    public async Task SmallValuesTheDriverHoldsAreListedWithTheirSizeAndHolderOnlyWhenAsked()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20, Telemetry = true });
        await using var state = new ClusterState(plexus.EmbeddedControl());
        using var put = plexus.Put(new byte[30_000]);
        using var made = plexus.Task<int, byte[]>(Block).Remote(10_000);
        Assert.Equal(10_000, (await made).Length);

        var stores = await state.ListObjectsAsync();
        // The task's name comes with its node's next report of task events, about a second later.
        var all = await Eventually.ValueAsync(
            () => state.ListObjectsAsync(includeHeld: true),
            l => l.Objects.Any(o => o.CallSite == "EmbeddedStateTests.Block"),
            "the task's return is listed under the task's name");
        var byCallSite = await state.GetMemoryReportAsync(MemoryGrouping.CallSite, includeHeld: true);

        Assert.Empty(stores.Objects);
        Assert.Empty(stores.Processes);
        Assert.Equal([("driver (put)", "inline"), ("EmbeddedStateTests.Block", "inline")], all.Objects.Select(o => (o.CallSite, o.Location)));
        Assert.All(all.Objects, o => Assert.True(o.IsHeld && o.OwnerProcess == 0 && o.OwnerPid == Environment.ProcessId && o.Handles == 1, o.ToString()));
        Assert.InRange(all.Objects[0].Size, 30_000, 30_100);
        Assert.InRange(all.Objects[1].Size, 10_000, 10_100);
        var driver = Assert.Single(all.Processes, p => p.IsDriver);
        Assert.Equal((0, true, 2L, all.Objects.Sum(o => o.Size)), (driver.Process, driver.Answered, driver.InlineObjects, driver.InlineBytes));
        Assert.Equal(plexus.EmbeddedNode().WorkerPids.Order(), all.Processes.Where(p => !p.IsDriver).Select(p => p.Pid).Order());
        Assert.Empty(all.SilentNodes);
        Assert.Equal(
            all.Objects.Select(o => (o.CallSite, o.Size)).Order(),
            byCallSite.Groups.Select(g => (g.Key, g.HeldBytes)).Where(g => g.HeldBytes > 0).Order());
    }

    private static int Square(int x) => x * x;

    private static byte[] Block(int bytes) => new byte[bytes];

    private static int Fail() => throw new InvalidOperationException("embedded failure");
}
