namespace Plexus.Data.Tests;

/// <summary>Sorts, repartitions and shuffles against LINQ on the same rows.</summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class ExchangeTests(DataRuntime runtime)
{
    private DataContext Data(int? partitions = null) => runtime.Plexus.Data(new DataOptions { ShufflePartitions = partitions });

    [Fact]
    public async Task OrderBySortsRandomNumbersAcrossPartitions()
    {
        var random = new Random(7);
        var numbers = Enumerable.Range(0, 50_000).Select(_ => random.NextInt64(-1_000_000, 1_000_000)).ToList();

        var sorted = await Data(partitions: 5).FromItems(numbers, blocks: 8).OrderBy(static x => x).ToListAsync();

        Assert.Equal(numbers.Order(), sorted);
    }

    [Fact]
    public async Task OrderByDescendingWithASkewedKeyKeepsEveryRowAndTheOrder()
    {
        // Half the rows share key 0: the sample's tiebreaks spread them over several partitions.
        var rows = Enumerable.Range(0, 40_000).Select(i => new Row(i % 2 == 0 ? 0 : i % 1000, i)).ToList();

        var sorted = await Data(partitions: 6).FromItems(rows, blocks: 7).OrderByDescending(static r => r.Key).ToListAsync();

        Assert.Equal(rows.Select(r => r.Key).OrderDescending(), sorted.Select(r => r.Key));
        Assert.Equal(rows.Select(r => r.Id).Order(), sorted.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task OrderByANormalizedKeyRadixSortsRecordsByTheirBytes()
    {
        var records = await Data(partitions: 4).Generate<KeyedRecord>(30_000, static (first, span) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = KeyedRecord.Make(first + i);
            }
        }, blocks: 6).OrderBy(static r => r.Key).ToListAsync();

        var expected = Enumerable.Range(0, 30_000).Select(i => KeyedRecord.Make(i)).OrderBy(r => r.Key).ToList();
        Assert.Equal(expected.Select(r => r.Key), records.Select(r => r.Key));
        Assert.Equal(expected.Select(r => r.Id).Order(), records.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task OrderByAfterAMapAndBeforeATakeGivesTheSmallestRows()
    {
        var smallest = await Data().Range(100_000, blocks: 10).Map(static x => (x * 7919) % 100_003).OrderBy(static x => x).Take(5).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 100_000).Select(x => (long)x * 7919 % 100_003).Order().Take(5), smallest);
    }

    [Fact]
    public async Task RunsOfFinishedMapsAreMergedWhileLaterMapsRun()
    {
        var progress = new RecordingProgress();
        var data = runtime.Plexus.Data(new DataOptions { ShufflePartitions = 3, MergeFactor = 2, MinimumMergedRunBytes = 0, Progress = progress });
        var random = new Random(11);
        var numbers = Enumerable.Range(0, 30_000).Select(_ => random.Next()).ToList();

        var sorted = await data.FromItems(numbers, blocks: 7).OrderBy(static x => x).ToListAsync();

        Assert.Equal(numbers.Order(), sorted);
        // 7 maps with a factor of 2: three groups merged (3 partitions each), the seventh map's runs left to the reduces.
        var merge = Assert.Single(progress.Summary.Stages, s => s.Name.StartsWith("merge ", StringComparison.Ordinal));
        Assert.Equal(9, merge.TasksSubmitted);
    }

    [Fact]
    public async Task AGroupOfRunsCompleteOnlyWithTheLastMapIsLeftToTheReduces()
    {
        var progress = new RecordingProgress();
        var data = runtime.Plexus.Data(new DataOptions { ShufflePartitions = 3, MergeFactor = 2, MinimumMergedRunBytes = 0, Progress = progress });
        var random = new Random(12);
        var numbers = Enumerable.Range(0, 30_000).Select(_ => random.Next()).ToList();

        var sorted = await data.FromItems(numbers, blocks: 8).OrderBy(static x => x).ToListAsync();

        Assert.Equal(numbers.Order(), sorted);
        // 8 maps with a factor of 2: the groups of maps 1–2, 3–4 and 5–6 merged while later maps ran; 7–8 would
        // start merging only once every map is done, so the reduces merge those runs themselves.
        var merge = Assert.Single(progress.Summary.Stages, s => s.Name.StartsWith("merge ", StringComparison.Ordinal));
        Assert.Equal(9, merge.TasksSubmitted);
    }

    [Fact]
    public async Task RepartitionKeepsOrderAndMakesTheBlocksAsked()
    {
        var data = Data().Range(10_001, blocks: 3).Repartition(7);
        var blocks = new List<long[]>();
        await foreach (var batch in data.IterateBatchesAsync())
        {
            blocks.Add(batch.ToArray());
        }

        Assert.Equal(7, blocks.Count);
        Assert.Equal(Enumerable.Range(0, 10_001).Select(x => (long)x), blocks.SelectMany(b => b));
        Assert.All(blocks, b => Assert.InRange(b.Length, 10_001 / 7, 10_001 / 7 + 1));
    }

    [Fact]
    public async Task RepartitionWithShuffleKeepsEveryRowInTheBlocksAsked()
    {
        var blocks = 0;
        var rows = new List<long>();
        await foreach (var batch in Data().Range(5000, blocks: 2).Repartition(5, shuffle: true).IterateBatchesAsync())
        {
            blocks++;
            rows.AddRange(batch.ToArray());
        }

        Assert.Equal(5, blocks);
        Assert.Equal(Enumerable.Range(0, 5000).Select(x => (long)x), rows.Order());
    }

    [Fact]
    public async Task RandomShuffleWithASeedGivesTheSameOrderEveryRun()
    {
        var shuffled = Data(partitions: 4).Range(10_000, blocks: 4).RandomShuffle(seed: 42);
        var first = await shuffled.ToListAsync();
        var second = await shuffled.ToListAsync();

        Assert.Equal(first, second);
        Assert.NotEqual(Enumerable.Range(0, 10_000).Select(x => (long)x), first);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(x => (long)x), first.Order());
    }

    public sealed record Row(int Key, int Id);
}
