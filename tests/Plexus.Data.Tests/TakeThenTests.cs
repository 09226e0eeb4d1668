namespace Plexus.Data.Tests;

/// <summary>
/// Operations after <c>Take</c> that use the taken blocks themselves (keep them, shuffle them, join
/// them, write them) see exactly the taken rows, as LINQ's <c>Take</c> would give them.
/// </summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class TakeThenTests(DataRuntime runtime) : IDisposable
{
    // Ten blocks of 100 rows: a take of 150 ends inside the second block while later blocks are in flight.
    private const int Rows = 1000;
    private const int Blocks = 10;
    private const int Taken = 150;

    private readonly TempDirectory directory = new();

    private static IEnumerable<long> Expected => Enumerable.Range(0, Rows).Select(x => (long)x).Take(Taken);

    private Dataset<long> TakenRows => runtime.Plexus.Data().Range(Rows, blocks: Blocks).Take(Taken);

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task MaterializeAfterTakeKeepsExactlyTheTakenRows()
    {
        using var kept = await TakenRows.MaterializeAsync();

        Assert.Equal(Taken, kept.Rows);
        Assert.Equal(Expected, await kept.Dataset.ToListAsync());
        Assert.Equal(Taken, await kept.Dataset.CountAsync());
    }

    [Fact]
    public async Task GroupByAfterTakeAggregatesOnlyTheTakenRows()
    {
        var counts = await TakenRows.GroupBy(static x => x % 7).Count().ToListAsync();

        Assert.Equal(Expected.GroupBy(x => x % 7).ToDictionary(g => g.Key, g => (long)g.Count()), counts.ToDictionary(c => c.Key, c => c.Count));
    }

    [Fact]
    public async Task OrderByAfterTakeSortsOnlyTheTakenRows()
    {
        var sorted = await TakenRows.OrderByDescending(static x => x).ToListAsync();

        Assert.Equal(Expected.OrderByDescending(x => x), sorted);
    }

    [Fact]
    public async Task JoinWithATakenSideJoinsOnlyItsTakenRows()
    {
        var data = runtime.Plexus.Data();
        var joined = await data.Range(Rows, blocks: Blocks)
            .Join(TakenRows, static x => x, static y => y, static (x, y) => x + y)
            .ToListAsync();

        Assert.Equal(Expected.Select(x => 2 * x).Order(), joined.Order());
    }

    [Fact]
    public async Task WriteAfterTakeWritesExactlyTheTakenRows()
    {
        var output = Path.Combine(directory.Path, "taken");
        var written = await TakenRows.WriteTextAsync(output);

        Assert.Equal(Taken, written.Rows);
        Assert.Equal(Expected.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)), await runtime.Plexus.Data().ReadText(output).ToListAsync());
    }
}
