namespace Plexus.Data.Tests;

/// <summary>Union, Distinct and Sample against LINQ on the embedded cluster.</summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class SetOperationTests(DataRuntime runtime)
{
    private DataContext Data => runtime.Plexus.Data(new DataOptions { ShufflePartitions = 4 });

    [Fact]
    public async Task UnionGivesBothSidesRowsInBlockOrderWithoutAShuffle()
    {
        var rows = new List<long>();
        var summary = await Data.Range(1000, blocks: 3).Union(Data.Range(500, blocks: 2).Map(static x => -x)).ForEachAsync(rows.Add);

        Assert.Equal(Enumerable.Range(0, 1000).Select(x => (long)x).Concat(Enumerable.Range(0, 500).Select(x => -(long)x)), rows);
        Assert.Equal(5, Assert.Single(summary.Stages, s => s.Name == "Union").TasksSubmitted);
        Assert.DoesNotContain(summary.Stages, s => s.Name.StartsWith("reduce", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DistinctDropsDuplicatesWithinAndAcrossBlocks()
    {
        // Every value three times, spread so that each block holds some of its copies and others hold the rest.
        var items = Enumerable.Range(0, 9000).Select(i => new Tag(i % 3000, i % 3000 % 2 == 0 ? "even" : null)).ToList();

        var distinct = await Data.FromItems(items, blocks: 4).Distinct().ToListAsync();

        Assert.Equal(items.Distinct().OrderBy(t => t.Id), distinct.OrderBy(t => t.Id));
    }

    [Fact]
    public async Task DistinctKeepsOneNullRow()
    {
        var distinct = await Data.FromItems(new[] { "a", null, "b", null, "a" }, blocks: 2).Distinct().ToListAsync();

        Assert.Equal(new[] { null, "a", "b" }, distinct.Order());
    }

    [Fact]
    public async Task SampleIsFixedBySeedAndKeepsAboutItsFraction()
    {
        var data = Data.Range(100_000, blocks: 4);

        var first = await data.Sample(0.1, seed: 42).ToListAsync();
        var again = await data.Sample(0.1, seed: 42).ToListAsync();
        var other = await data.Sample(0.1, seed: 43).ToListAsync();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // 10,000 expected, with a standard deviation of about 95: six of them either way.
        Assert.InRange(first.Count, 9_430, 10_570);
        Assert.Equal(first.Order(), first);
        Assert.Equal(first.Count, first.Distinct().Count());
    }

    [Fact]
    public async Task SampleKeepsEveryRowAtOneAndNoneAtZero()
    {
        Assert.Equal(1000, await Data.Range(1000, blocks: 2).Sample(1, seed: 7).CountAsync());
        Assert.Equal(0, await Data.Range(1000, blocks: 2).Sample(0, seed: 7).CountAsync());
        Assert.Throws<ArgumentOutOfRangeException>(() => Data.Range(10).Sample(1.5));
    }

    public sealed record Tag(int Id, string? Label);
}
