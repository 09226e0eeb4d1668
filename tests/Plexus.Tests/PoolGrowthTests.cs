using Plexus.Node;

namespace Plexus.Tests;

/// <summary>
/// Actors on pool workers reserve part of their CPUs; when that leaves CPUs free on no worker, the
/// pool starts another worker for the tasks that need them, and no more than that. Once idle, the
/// pool shrinks back to its size, keeping the workers that own objects.
/// </summary>
[Slow]
public sealed class PoolGrowthTests
{
    [Fact]
    public async Task WholeCpuTasksRunWhileHalfCpuActorsHoldPartOfEveryWorker()
    {
        // Two workers of one CPU each, each hosting an actor that reserves half of it: a whole CPU is free, on no worker.
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        using var first = plexus.Actor(() => new Counter(0)).WithCpus(0.5).Remote();
        using var second = plexus.Actor(() => new Counter(0)).WithCpus(0.5).Remote();
        Assert.NotEqual(await first.Call(c => c.ProcessId()), await second.Call(c => c.ProcessId()));

        var tasks = Enumerable.Range(0, 20).Select(i => plexus.Task<int, int>(TestFunctions.Echo).Remote(i)).ToList();

        Assert.Equal(Enumerable.Range(0, 20), await plexus.GetAsync(tasks).WaitAsync(TimeSpan.FromSeconds(60)));
        // One worker more, for the free CPU, and no other: the actors' workers still cannot take a whole-CPU task.
        Assert.Equal(3, plexus.WorkerProcessIds.Count);
        Assert.Equal(1, await first.Call(c => c.Add(1)));
    }

    [Fact]
    public async Task AGrownPoolShrinksBackToItsSizeOnceIdleKeepingTheWorkerThatOwnsAnObject()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(
            new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20, WorkerIdleTimeout = TimeSpan.FromMilliseconds(500), Telemetry = true });
        using var metrics = new MetricsRecorder(NodeMetrics.MeterName, plexus.NodeId);
        var first = plexus.Actor(() => new Counter(0)).WithCpus(0.5).Remote();
        var second = plexus.Actor(() => new Counter(0)).WithCpus(0.5).Remote();
        var actorPids = new[] { await first.Call(c => c.ProcessId()), await second.Call(c => c.ProcessId()) };

        // Only a third worker can run whole-CPU tasks beside the actors: the pool grows, and that worker owns the put.
        var tasks = Enumerable.Range(0, 20).Select(i => plexus.Task<int, int>(TestFunctions.Echo).Remote(i)).ToList();
        Assert.Equal(Enumerable.Range(0, 20), await plexus.GetAsync(tasks).WaitAsync(TimeSpan.FromSeconds(60)));
        using var made = plexus.Task<int, OwnedPut>(OwnedPut.Make).Remote(300_000);
        var owned = await made.GetAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(3, plexus.WorkerProcessIds.Count);
        Assert.DoesNotContain(owned.Pid, actorPids);
        Assert.Equal(0, metrics.Read("plexus_worker_idle_stops"));

        // The actors end: every worker is idle, one beyond the pool's size. The owner refuses to stop; an actor's old worker stops.
        first.Dispose();
        second.Dispose();
        await Eventually.TrueAsync(() => plexus.WorkerProcessIds.Count == 2, "the pool shrinks back to its 2 workers", TimeSpan.FromSeconds(60));

        Assert.Contains(owned.Pid, plexus.WorkerProcessIds);
        // The node counts the one worker that agreed to stop, not the owner that refused.
        Assert.Equal(1, metrics.Read("plexus_worker_idle_stops"));
        using (owned.Data)
        {
            Assert.Equal(300_000, (await owned.Data.GetAsync(TimeSpan.FromSeconds(30))).Length);
        }

        // Work after the shrink runs as before, on the pool's size.
        var after = Enumerable.Range(0, 10).Select(i => plexus.Task<int, int>(TestFunctions.Echo).Remote(i)).ToList();
        Assert.Equal(Enumerable.Range(0, 10), await plexus.GetAsync(after).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(2, plexus.WorkerProcessIds.Count);
    }
}
