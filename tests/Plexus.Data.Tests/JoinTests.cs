namespace Plexus.Data.Tests;

/// <summary>Hash and broadcast joins against LINQ, with one key holding half the rows on the probe side.</summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class JoinTests(DataRuntime runtime)
{
    private static readonly List<Order> Orders = [.. Enumerable.Range(0, 40_000).Select(i => new Order(i, i % 2 == 0 ? 7 : i % 1500, i % 100))];
    private static readonly List<Customer> Customers = [.. Enumerable.Range(0, 1000).Select(i => new Customer(i, $"customer {i}"))];

    // Broadcasting nothing automatically, so these joins are hashed unless a test asks otherwise.
    private DataContext Data => runtime.Plexus.Data(new DataOptions { ShufflePartitions = 5, BroadcastJoinThresholdBytes = 0 });

    private DataContext BroadcastingData => runtime.Plexus.Data(new DataOptions { ShufflePartitions = 5 });

    [Fact]
    public async Task AnInnerJoinWithASkewedKeyMatchesLinqAndSpreadsTheKeyOverSeveralReduces()
    {
        var joined = new List<(int Id, string Name)>();
        var summary = await Data.FromItems(Orders, blocks: 6)
            .Join(Data.FromItems(Customers, blocks: 2), static o => o.CustomerId, static c => c.Id, static (o, c) => (o.Id, c!.Name))
            .ForEachAsync(joined.Add);

        var expected = Orders.Join(Customers, o => o.CustomerId, c => c.Id, (o, c) => (o.Id, c.Name));
        Assert.Equal(expected.Order(), joined.Order());
        // Key 7 holds 20,000 of the 33,500 pairs: in one reduce, that reduce alone would make them all.
        var reduces = Assert.Single(summary.Stages, s => s.Name.StartsWith("reduce Join", StringComparison.Ordinal));
        Assert.Equal(5, reduces.TaskRows.Count);
        Assert.True(reduces.TaskRows.Max() < Orders.Count(o => o.CustomerId == 7), $"reduce rows: {string.Join(", ", reduces.TaskRows)}");
    }

    [Theory]
    [InlineData(JoinKind.Inner, true, false)]
    [InlineData(JoinKind.Inner, false, true)]
    [InlineData(JoinKind.Inner, true, true)]
    [InlineData(JoinKind.LeftOuter, true, false)]
    [InlineData(JoinKind.LeftOuter, false, true)]
    [InlineData(JoinKind.LeftOuter, true, true)]
    public async Task EachJoinKindMatchesLinqAndSpreadsAKeyHotOnEitherSideOrBoth(JoinKind kind, bool hotOnLeft, bool hotOnRight)
    {
        // Key 7 on half the rows of a side it is hot on, else on a few (left) or one (right); a tenth of
        // the left rows have keys from 1000 on, which no right row has. Hot on both, the right has more
        // of key 7 and is the side spread.
        var leftRows = hotOnLeft && hotOnRight ? 800 : 4000;
        var left = Enumerable.Range(0, leftRows).Select(i => (Key: hotOnLeft && i % 2 == 0 ? 7 : i % 10 == 1 ? 1000 + i : i % 1000, Left: i)).ToList();
        var right = Enumerable.Range(0, hotOnRight ? 4000 : 1000).Select(i => (Key: hotOnRight && i % 2 == 0 ? 7 : i % 1000, Right: i + 1)).ToList();

        var joined = new List<(int Left, int Right)>();
        var summary = await Data.FromItems(left, blocks: 4)
            .Join(Data.FromItems(right, blocks: 4), static l => l.Key, static r => r.Key, static (l, r) => (l.Left, r.Right), kind)
            .ForEachAsync(joined.Add);

        var expected = left.GroupJoin(right, l => l.Key, r => r.Key, (l, rs) => (l, rs))
            .SelectMany(g => kind == JoinKind.LeftOuter ? g.rs.DefaultIfEmpty() : g.rs, (g, r) => (g.l.Left, r.Right));
        Assert.Equal(expected.Order(), joined.Order());
        // An unmatched left row has the right row's default, whose id 0 no right row has.
        Assert.Equal(kind == JoinKind.LeftOuter, joined.Any(j => j.Right == 0));
        // Made in one reduce, key 7's pairs would be that reduce's output alone.
        var reduces = Assert.Single(summary.Stages, s => s.Name.StartsWith("reduce", StringComparison.Ordinal));
        var hotPairs = left.Count(l => l.Key == 7) * right.Count(r => r.Key == 7);
        Assert.True(reduces.TaskRows.Max() < hotPairs, $"reduce rows: {string.Join(", ", reduces.TaskRows)}, key 7's pairs: {hotPairs}");
    }

    [Fact]
    public async Task ALeftRowWhoseKeyIsSpreadOnTheRightIsNotEmittedUnmatchedWhereItsMatchesAreNot()
    {
        // 16 partitions and blocks of 10 right rows, 8 of them key 7: each right map spreads key 7 over
        // 13 partitions but has rows for only 8 of them, so the left rows of key 7 reach reduces with no
        // match in them (a left outer join must emit them there unmatched by no means), and key 99 has no match at all.
        var data = runtime.Plexus.Data(new DataOptions { ShufflePartitions = 16, BroadcastJoinThresholdBytes = 0 });
        var left = new[] { 7, 7, 7, 99, 1, 2, 3, 4, 5, 6 }.Select((key, i) => (Key: key, Left: i)).ToList();
        var right = Enumerable.Range(0, 20).Select(i => (Key: i % 10 < 8 ? 7 : i, Right: i + 1)).ToList();

        var joined = await data.FromItems(left, blocks: 1)
            .Join(data.FromItems(right, blocks: 2), static l => l.Key, static r => r.Key, static (l, r) => (l.Left, r.Right), JoinKind.LeftOuter)
            .ToListAsync();

        var expected = left.GroupJoin(right, l => l.Key, r => r.Key, (l, rs) => (l, rs)).SelectMany(g => g.rs.DefaultIfEmpty(), (g, r) => (g.l.Left, r.Right));
        Assert.Equal(expected.Order(), joined.Order());
    }

    [Fact]
    public async Task ALeftOuterJoinKeepsUnmatchedLeftRowsOnce()
    {
        var joined = await Data.FromItems(Orders, blocks: 6)
            .Join(Data.FromItems(Customers, blocks: 2), static o => o.CustomerId, static c => c.Id, static (o, c) => (o.Id, c?.Name), JoinKind.LeftOuter)
            .ToListAsync();

        var expected = Orders.GroupJoin(Customers, o => o.CustomerId, c => c.Id, (o, cs) => (o, cs))
            .SelectMany(x => x.cs.DefaultIfEmpty(), (x, c) => (x.o.Id, c?.Name));
        Assert.Equal(expected.Order(), joined.Order());
        Assert.Contains(joined, j => j.Name is null);
    }

    [Fact]
    public async Task DuplicateKeysOnBothSidesGiveEveryPair()
    {
        var left = Enumerable.Range(0, 3000).Select(i => (Key: i % 10, Left: i)).ToList();
        var right = Enumerable.Range(0, 200).Select(i => (Key: i % 20, Right: i)).ToList();

        var joined = await Data.FromItems(left, blocks: 3)
            .Join(Data.FromItems(right, blocks: 2), static l => l.Key, static r => r.Key, static (l, r) => (l.Left, r.Right))
            .ToListAsync();

        Assert.Equal(left.Join(right, l => l.Key, r => r.Key, (l, r) => (l.Left, r.Right)).Order(), joined.Order());
    }

    [Fact]
    public async Task AnExplicitBroadcastJoinOfAComputedSideMatchesLinqWithoutAShuffle()
    {
        var customers = Data.FromItems(Customers, blocks: 2).Map(static c => c with { Name = c.Name.ToUpperInvariant() });
        var joined = new List<(int Id, string Name)>();
        var summary = await Data.FromItems(Orders, blocks: 6)
            .Join(customers, static o => o.CustomerId, static c => c.Id, static (o, c) => (o.Id, c!.Name), strategy: JoinStrategy.Broadcast)
            .ForEachAsync(joined.Add);

        var expected = Orders.Join(Customers, o => o.CustomerId, c => c.Id, (o, c) => (o.Id, c.Name.ToUpperInvariant()));
        Assert.Equal(expected.Order(), joined.Order());
        AssertBroadcast(summary, leftBlocks: 6);
    }

    [Fact]
    public async Task ASmallStoredRightSideIsBroadcastAutomaticallyInALeftJoin()
    {
        var joined = new List<(int Id, string? Name)>();
        var summary = await BroadcastingData.FromItems(Orders, blocks: 6).Filter(static o => o.Amount < 90)
            .Join(BroadcastingData.FromItems(Customers, blocks: 2), static o => o.CustomerId, static c => c.Id, static (o, c) => (o.Id, c?.Name), JoinKind.LeftOuter)
            .ForEachAsync(joined.Add);

        var expected = Orders.Where(o => o.Amount < 90).GroupJoin(Customers, o => o.CustomerId, c => c.Id, (o, cs) => (o, cs))
            .SelectMany(x => x.cs.DefaultIfEmpty(), (x, c) => (x.o.Id, c?.Name));
        Assert.Equal(expected.Order(), joined.Order());
        Assert.Contains(joined, j => j.Name is null);
        AssertBroadcast(summary, leftBlocks: 6);
    }

    [Fact]
    public async Task ARightSideAboveTheThresholdIsHashJoined()
    {
        var options = new DataOptions { ShufflePartitions = 5, BroadcastJoinThresholdBytes = 1024 };
        var data = runtime.Plexus.Data(options);
        var joined = new List<(int Id, string Name)>();
        var summary = await data.FromItems(Orders, blocks: 6)
            .Join(data.FromItems(Customers, blocks: 2), static o => o.CustomerId, static c => c.Id, static (o, c) => (o.Id, c!.Name))
            .ForEachAsync(joined.Add);

        Assert.Equal(Orders.Join(Customers, o => o.CustomerId, c => c.Id, (o, c) => (o.Id, c.Name)).Order(), joined.Order());
        Assert.Contains(summary.Stages, s => s.Name.StartsWith("reduce Join", StringComparison.Ordinal) && s.TasksSubmitted == 5);
        Assert.DoesNotContain(summary.Stages, s => s.Name.Contains("→Broadcast", StringComparison.Ordinal));
    }

    /// <summary>One task per left block joined the rows, and no stage shuffled them.</summary>
    private static void AssertBroadcast(RunSummary summary, int leftBlocks)
    {
        var join = Assert.Single(summary.Stages, s => s.Name.Contains("→BroadcastJoin(", StringComparison.Ordinal) || s.Name.Contains("→BroadcastLeftJoin(", StringComparison.Ordinal));
        Assert.Equal(leftBlocks, join.TasksSubmitted);
        Assert.DoesNotContain(summary.Stages, s => s.Name.StartsWith("reduce", StringComparison.Ordinal));
    }

    public sealed record Order(int Id, int CustomerId, int Amount);

    public sealed record Customer(int Id, string Name);
}
