namespace Plexus.Data.Tests;

/// <summary>Each one-to-one transformation against the same computation in LINQ, on an embedded cluster.</summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class TransformationTests(DataRuntime runtime)
{
    private DataContext Data(int? maxTasks = null) => runtime.Plexus.Data(new DataOptions { MaxTasksInFlight = maxTasks });

    [Fact]
    public async Task MapFilterAndFlatMapFusedOverARangeGiveTheLinqResultInOrder()
    {
        var rows = await Data().Range(10_000, blocks: 7)
            .Map(static x => x * 3)
            .Filter(static x => x % 2 == 0)
            .FlatMap(static x => new[] { x, -x })
            .ToListAsync();

        var expected = Enumerable.Range(0, 10_000).Select(x => x * 3L).Where(x => x % 2 == 0).SelectMany(x => new[] { x, -x });
        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task StateOverloadsPassTheStateInsteadOfACapture()
    {
        var offset = 1000L;
        var rows = await Data().Range(100, blocks: 3)
            .Map(offset, static (o, x) => x + o)
            .Filter(1050L, static (limit, x) => x < limit)
            .FlatMap(2, static (n, x) => Enumerable.Repeat(x, n))
            .ToListAsync();

        Assert.Equal(Enumerable.Range(1000, 50).SelectMany(x => new[] { (long)x, x }), rows);
    }

    [Fact]
    public void ACapturingLambdaIsRefusedWhenTheOperationIsWritten()
    {
        var offset = 5L;
        var error = Assert.Throws<CapturedStateException>(() => Data().Range(10).Map(x => x + offset));
        Assert.Contains("offset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromItemsOfRecordsRoundTripThroughPackedBlocks()
    {
        var people = Enumerable.Range(0, 500).Select(i => new Person($"p{i}", i % 90)).ToList();
        var adults = await Data().FromItems(people, blocks: 4).Filter(static p => p.Age >= 18).Map(static p => p.Name).ToListAsync();
        Assert.Equal(people.Where(p => p.Age >= 18).Select(p => p.Name), adults);
    }

    [Fact]
    public async Task MapBatchesSeesBatchesOfTheSizeAskedAcrossSourceBatches()
    {
        var sizes = await Data().Range(10_000, blocks: 2)
            .MapBatches(static batch => new[] { batch.Length }, batchRows: 3000)
            .ToListAsync();
        Assert.Equal([3000, 2000, 3000, 2000], sizes);
    }

    [Fact]
    public async Task GenerateMakesRowsFromTheirIndexesInTasks()
    {
        var rows = await Data().Generate<Point>(1000, static (first, span) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = new Point(first + i, (first + i) * 2);
            }
        }, blocks: 5).Filter(static p => p.X % 100 == 0).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => new Point(i * 100, i * 200)), rows);
    }

    [Fact]
    public async Task StagesWithDifferentOptionsRunInSeparateTasksAndKeepOrder()
    {
        var rows = await Data().Range(1000, blocks: 4)
            .Map(static x => x + 1).WithOptions(new StageOptions { Name = "first", Cpus = 0.5 })
            .Map(static x => x * 10).WithOptions(new StageOptions { Name = "second" })
            .Filter(static x => x % 7 == 0)
            .ToListAsync();
        Assert.Equal(Enumerable.Range(1, 1000).Select(x => x * 10L).Where(x => x % 7 == 0), rows);
    }

    [Fact]
    public async Task CountAndEnumerationAgree()
    {
        var data = Data().Range(12_345, blocks: 6).Filter(static x => x % 3 != 0);
        var count = await data.CountAsync();
        var enumerated = 0L;
        await foreach (var _ in data)
        {
            enumerated++;
        }

        Assert.Equal(Enumerable.Range(0, 12_345).Count(x => x % 3 != 0), count);
        Assert.Equal(count, enumerated);
    }

    [Fact]
    public async Task ForEachAsyncReturnsASummaryWhoseRowsMatch()
    {
        var seen = new List<long>();
        var summary = await Data().Range(1000, blocks: 4).Map(static x => x * x).ForEachAsync(seen.Add);
        Assert.Equal(Enumerable.Range(0, 1000).Select(x => (long)x * x), seen);
        Assert.Equal(1000, summary.Stages[^1].Rows);
        Assert.Equal(4, summary.TasksSubmitted);
    }

    [Fact]
    public async Task AFailingUserFunctionFailsTheRunNamingStageBlockAndTheOriginalException()
    {
        var error = await Assert.ThrowsAsync<DataExecutionException>(() =>
            Data().Range(100, blocks: 4).Map(static x => x == 60 ? throw new InvalidTimeZoneException("bad row 60") : x).ToListAsync());
        Assert.Equal(2, error.Block);
        Assert.IsType<InvalidTimeZoneException>(error.Cause);
        Assert.Contains("bad row 60", error.Message, StringComparison.Ordinal);
        Assert.Contains("Map", error.Stage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMaterializedDatasetIsReadAgainWithoutRunningItsPlan()
    {
        var progress = new RecordingProgress();
        using var kept = await runtime.Plexus.Data(new DataOptions { Progress = progress }).Range(10_000, blocks: 5).Map(static x => x * 2).MaterializeAsync();

        var evens = await kept.Dataset.Filter(static x => x % 4 == 0).CountAsync();
        var sum = (await kept.Dataset.ToListAsync()).Sum();

        Assert.Equal(10_000, kept.Rows);
        Assert.Equal(5, kept.BlockCount);
        Assert.Equal(5000, evens);
        Assert.Equal(Enumerable.Range(0, 10_000).Sum(x => 2L * x), sum);
        Assert.Equal(5, progress.Reports.Where(r => r.IsFinal).Sum(r => r.Summary!.Stages.Where(s => s.Name.StartsWith("Range", StringComparison.Ordinal)).Sum(s => s.TasksSubmitted)));
    }

    public sealed record Person(string Name, int Age);

    public readonly record struct Point(long X, long Y);
}
