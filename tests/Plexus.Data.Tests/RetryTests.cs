using System.Diagnostics;

namespace Plexus.Data.Tests;

/// <summary>A stage whose worker is killed mid-run still gives exact results: the core runs the lost tasks again, and blocks are counted once.</summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class RetryTests(DataRuntime runtime)
{
    [Fact]
    public async Task AMapStageWhoseWorkerIsKilledStillGivesTheLinqResult()
    {
        var killed = 0;
        var progress = new KillOnFirstReport(() =>
        {
            if (Interlocked.Exchange(ref killed, 1) == 0)
            {
                Process.GetProcessById(runtime.Plexus.WorkerProcessIds[0]).Kill();
            }
        });
        var data = runtime.Plexus.Data(new DataOptions { Progress = progress, ProgressInterval = TimeSpan.Zero });

        var sums = await data.Range(400_000, blocks: 40)
            .Map(static x => Spin(x))
            .GroupBy(static x => x % 10).Sum(static x => x)
            .ToListAsync();

        Assert.Equal(1, killed);
        var expected = Enumerable.Range(0, 400_000).Select(x => Spin(x)).GroupBy(x => x % 10).ToDictionary(g => g.Key, g => g.Sum());
        Assert.Equal(expected, sums.ToDictionary(s => s.Key, s => s.Sum));
    }

    /// <summary>Work enough per row that tasks are running when the worker is killed.</summary>
    private static long Spin(long x)
    {
        var value = x;
        for (var i = 0; i < 2000; i++)
        {
            value = (value * 6364136223846793005L) + 1442695040888963407L;
        }

        return (value >>> 40) + x;
    }

    private sealed class KillOnFirstReport(Action kill) : IProgress<DataProgress>
    {
        public void Report(DataProgress value)
        {
            if (value.Stages.Any(s => s.BlocksDone > 0))
            {
                kill();
            }
        }
    }
}
