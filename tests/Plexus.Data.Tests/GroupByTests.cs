namespace Plexus.Data.Tests;

/// <summary>Group-by aggregations against LINQ, with a key that holds half the rows.</summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class GroupByTests(DataRuntime runtime)
{
    private static readonly List<Sale> Sales = [.. Enumerable.Range(0, 60_000).Select(i => new Sale(
        i % 2 == 0 ? "north" : $"region-{i % 997}", i % 13, (i * 37 % 1000) / 10.0))];

    private Dataset<Sale> SalesData() => runtime.Plexus.Data(new DataOptions { ShufflePartitions = 5 }).FromItems(Sales, blocks: 6);

    [Fact]
    public async Task CountPerKeyMatchesLinqWithASkewedKey()
    {
        var counts = await SalesData().GroupBy(static s => s.Region).Count().ToListAsync();
        Assert.Equal(Sales.GroupBy(s => s.Region).ToDictionary(g => g.Key, g => (long)g.Count()), counts.ToDictionary(c => c.Key, c => c.Count));
    }

    [Fact]
    public async Task SumsMeanMinAndMaxPerKeyMatchLinq()
    {
        var data = SalesData().GroupBy(static s => s.Units);
        var sums = (await data.Sum(static s => (long)s.Units * 3).ToListAsync()).ToDictionary(r => r.Key, r => r.Sum);
        var amounts = (await data.Sum(static s => s.Amount).ToListAsync()).ToDictionary(r => r.Key, r => r.Sum);
        var means = (await data.Mean(static s => s.Amount).ToListAsync()).ToDictionary(r => r.Key, r => r.Mean);
        var mins = (await data.Min(static s => s.Region).ToListAsync()).ToDictionary(r => r.Key, r => r.Min);
        var maxes = (await data.Max(static s => s.Amount).ToListAsync()).ToDictionary(r => r.Key, r => r.Max);

        var groups = Sales.GroupBy(s => s.Units).ToList();
        Assert.Equal(groups.ToDictionary(g => g.Key, g => g.Sum(s => (long)s.Units * 3)), sums);
        Assert.Equal(groups.Count, amounts.Count);
        Assert.All(groups, g => Assert.Equal(g.Sum(s => s.Amount), amounts[g.Key], 6));
        Assert.All(groups, g => Assert.Equal(g.Average(s => s.Amount), means[g.Key], 6));
        Assert.Equal(groups.ToDictionary(g => g.Key, g => g.Select(s => s.Region).Min()!), mins);
        Assert.Equal(groups.ToDictionary(g => g.Key, g => g.Max(s => s.Amount)), maxes);
    }

    [Fact]
    public async Task ACustomAggregatorFoldsAndMergesPerKey()
    {
        var spans = await SalesData().GroupBy(static s => s.Region).Aggregate<AmountSpan, (double Low, double High), double>().ToListAsync();
        Assert.Equal(
            Sales.GroupBy(s => s.Region).ToDictionary(g => g.Key, g => g.Max(s => s.Amount) - g.Min(s => s.Amount)),
            spans.ToDictionary(s => s.Key, s => s.Value));
    }

    [Fact]
    public async Task MapGroupsSeesEveryRowOfAKeyTogether()
    {
        var totals = await SalesData().GroupBy(static s => s.Units).MapGroups(static (units, rows) => (units, rows.Count, rows.Sum(r => r.Amount))).ToListAsync();
        var expected = Sales.GroupBy(s => s.Units).ToDictionary(g => g.Key, g => (g.Count(), g.Sum(s => s.Amount)));
        Assert.Equal(expected.Count, totals.Count);
        Assert.All(totals, t =>
        {
            Assert.Equal(expected[t.units].Item1, t.Item2);
            Assert.Equal(expected[t.units].Item2, t.Item3, 6);
        });
    }

    [Fact]
    public async Task GroupByAfterAMapAndBeforeASortComposes()
    {
        var top = await runtime.Plexus.Data().Range(100_000, blocks: 8)
            .Map(static x => x % 1000 < 500 ? 7 : x % 100)
            .GroupBy(static k => k).Count()
            .OrderByDescending(static c => c.Count)
            .Take(3)
            .ToListAsync();

        var expected = Enumerable.Range(0, 100_000).Select(x => x % 1000 < 500 ? 7L : x % 100).GroupBy(k => k)
            .Select(g => (g.Key, Count: (long)g.Count())).OrderByDescending(c => c.Count).ToList();
        Assert.Equal(expected[0], top[0]);
        Assert.Equal(expected.Take(3).Select(c => c.Count), top.Select(c => c.Count));
    }

    public sealed record Sale(string Region, int Units, double Amount);

    public sealed class AmountSpan : IAggregator<Sale, (double Low, double High), double>
    {
        public (double Low, double High) Init() => (double.MaxValue, double.MinValue);

        public (double Low, double High) Add((double Low, double High) accumulator, Sale row) =>
            (Math.Min(accumulator.Low, row.Amount), Math.Max(accumulator.High, row.Amount));

        public (double Low, double High) Merge((double Low, double High) earlier, (double Low, double High) later) =>
            (Math.Min(earlier.Low, later.Low), Math.Max(earlier.High, later.High));

        public double Finish((double Low, double High) accumulator) => accumulator.High - accumulator.Low;
    }
}
