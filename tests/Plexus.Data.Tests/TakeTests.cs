namespace Plexus.Data.Tests;

/// <summary><c>Take</c> gives the first rows in order and stops the work it no longer needs.</summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class TakeTests(DataRuntime runtime)
{
    private const int Window = 4;

    [Fact]
    public async Task TakeOfAHugeRangeSubmitsNoMoreThanOneWindowOfTasks()
    {
        var progress = new RecordingProgress();
        var data = runtime.Plexus.Data(new DataOptions { MaxTasksInFlight = Window, Progress = progress });

        var rows = await data.Range(10_000_000, blocks: 1000).Map(static x => x * 2).Take(10).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 10).Select(x => x * 2L), rows);
        Assert.InRange(progress.Summary.TasksSubmitted, 1, Window + 1);
    }

    [Fact]
    public async Task TakeAcrossBlocksCutsTheLastBlockAndCountsExactly()
    {
        var data = runtime.Plexus.Data();
        var taken = data.Range(1000, blocks: 10).Filter(static x => x % 2 == 1).Take(123);

        Assert.Equal(Enumerable.Range(0, 1000).Where(x => x % 2 == 1).Take(123).Select(x => (long)x), await taken.ToListAsync());
        Assert.Equal(123, await taken.CountAsync());
    }

    [Fact]
    public async Task OperationsAfterTakeSeeOnlyTheTakenRows()
    {
        var data = runtime.Plexus.Data();
        var rows = await data.Range(1000, blocks: 10).Take(250).Map(static x => x + 1).Filter(static x => x % 50 == 0).ToListAsync();
        Assert.Equal([50L, 100, 150, 200, 250], rows);
    }

    [Fact]
    public async Task LeavingAnEnumerationEarlySubmitsNothingMore()
    {
        var progress = new RecordingProgress();
        var data = runtime.Plexus.Data(new DataOptions { MaxTasksInFlight = Window, Progress = progress });
        var seen = 0;
        await foreach (var _ in data.Range(1_000_000, blocks: 500))
        {
            if (++seen == 5)
            {
                break;
            }
        }

        Assert.Equal(5, seen);
        Assert.InRange(progress.Summary.TasksSubmitted, 1, Window + 1);
    }
}
