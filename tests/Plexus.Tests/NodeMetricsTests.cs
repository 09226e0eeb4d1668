using Plexus.Node;

namespace Plexus.Tests;

/// <summary>The embedded node's meter follows what its workers do: tasks by state and outcome, scheduling latency, actor calls, actors and workers.</summary>
[Slow]
public sealed class NodeMetricsTests(TelemetryClusterFixture cluster) : IClassFixture<TelemetryClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task TasksFinishedCountEachTaskByItsOutcomeAndEachWasTimedFromQueuedToHandedOut()
    {
        using var metrics = Recorder();
        var (succeeded, failed) = (Finished(metrics, "succeeded"), Finished(metrics, "failed"));

        var echoes = Enumerable.Range(0, 5).Select(i => Plexus.Task<int, int>(TestFunctions.Echo).Remote(i)).ToArray();
        await Plexus.GetAsync(echoes);
        using var failing = Plexus.Task<string, int>(TestFunctions.Fail).Remote("counted as failed");
        await Assert.ThrowsAsync<TaskFailedException>(async () => await failing);
        PlexusRuntime.Free(echoes);

        Assert.Equal((succeeded + 5, failed + 1), (Finished(metrics, "succeeded"), Finished(metrics, "failed")));
        var latencies = metrics.Recorded("plexus_scheduling_latency_seconds");
        Assert.Equal(6, latencies.Count);
        Assert.All(latencies, seconds => Assert.InRange(seconds, 0, Eventually.DefaultTimeout.TotalSeconds));
    }

    [Fact]
    public async Task ATaskOnAWorkerCountsAsRunningUntilItFinishes()
    {
        using var metrics = Recorder();
        var gate = Path.Combine(Path.GetTempPath(), "plexus-gate-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var gated = Plexus.Task<int, string, int>(TestFunctions.GatedAsync).Remote(1, gate);
            await Eventually.TrueAsync(() => metrics.Read("plexus_tasks", "state=running") == 1);

            await File.WriteAllTextAsync(gate, "");
            await gated;

            Assert.Equal(0, metrics.Read("plexus_tasks", "state=running"));
            Assert.Equal(0, metrics.Read("plexus_tasks", "state=queued"));
        }
        finally
        {
            File.Delete(gate);
        }
    }

    [Fact]
    public async Task ActorCallsCountEachAnsweredCallAndTheActorCountsAliveUntilKilled()
    {
        using var metrics = Recorder();
        var (calls, alive) = (metrics.Read("plexus_actor_calls") ?? 0, metrics.Read("plexus_actors", "state=alive") ?? 0);

        using var counter = Plexus.Actor(() => new Counter(0)).Remote();
        for (var i = 0; i < 3; i++)
        {
            using var call = counter.Call(c => c.Add(1));
            await call;
        }

        Assert.Equal(calls + 3, metrics.Read("plexus_actor_calls"));
        Assert.Equal(alive + 1, metrics.Read("plexus_actors", "state=alive"));
        counter.Kill();
        await Eventually.TrueAsync(() => metrics.Read("plexus_actors", "state=alive") == alive);
    }

    [Fact]
    public void WorkerProcessesAreThePoolsWorkers()
    {
        using var metrics = Recorder();

        Assert.Equal(Plexus.WorkerProcessIds.Count, metrics.Read("plexus_worker_processes"));
    }

    private MetricsRecorder Recorder() => new(NodeMetrics.MeterName, Plexus.NodeId);

    private static double Finished(MetricsRecorder metrics, string outcome) => metrics.Read("plexus_tasks_finished", $"outcome={outcome}") ?? 0;
}
