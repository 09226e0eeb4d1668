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

    private static int Square(int x) => x * x;

    private static int Fail() => throw new InvalidOperationException("embedded failure");
}
