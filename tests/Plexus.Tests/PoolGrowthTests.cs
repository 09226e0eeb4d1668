namespace Plexus.Tests;

/// <summary>
/// Actors on pool workers reserve part of their CPUs; when that leaves CPUs free on no worker, the
/// pool starts another worker for the tasks that need them, and no more than that.
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
}
