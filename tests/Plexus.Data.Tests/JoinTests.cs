namespace Plexus.Data.Tests;

/// <summary>Hash joins against LINQ, with one key holding half the rows on the probe side.</summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class JoinTests(DataRuntime runtime)
{
    private static readonly List<Order> Orders = [.. Enumerable.Range(0, 40_000).Select(i => new Order(i, i % 2 == 0 ? 7 : i % 1500, i % 100))];
    private static readonly List<Customer> Customers = [.. Enumerable.Range(0, 1000).Select(i => new Customer(i, $"customer {i}"))];

    private DataContext Data => runtime.Plexus.Data(new DataOptions { ShufflePartitions = 5 });

    [Fact]
    public async Task AnInnerJoinWithASkewedKeyMatchesLinq()
    {
        var joined = await Data.FromItems(Orders, blocks: 6)
            .Join(Data.FromItems(Customers, blocks: 2), static o => o.CustomerId, static c => c.Id, static (o, c) => (o.Id, c!.Name))
            .ToListAsync();

        var expected = Orders.Join(Customers, o => o.CustomerId, c => c.Id, (o, c) => (o.Id, c.Name));
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

    public sealed record Order(int Id, int CustomerId, int Amount);

    public sealed record Customer(int Id, string Name);
}
