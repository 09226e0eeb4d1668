namespace Plexus.Data.Tests;

/// <summary>
/// A stage of tasks after an actor stage (a shuffle's maps, a write's tasks) runs beside the pool's
/// actors: its tasks go only to workers where they fit beside the CPUs the actors reserve, so the
/// run finishes with LINQ's result.
/// </summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class AfterActorStageTests(DataRuntime runtime) : IDisposable
{
    private const int Rows = 2000;

    private readonly TempDirectory directory = new();

    private static IEnumerable<long> Mapped => Enumerable.Range(0, Rows).Select(x => x * 10L);

    private Dataset<ActorPoolTests.Tagged> Tagged =>
        runtime.Plexus.Data().Range(Rows, blocks: 4).MapBatches<ActorPoolTests.TaggingMapper, ActorPoolTests.Tagged>(actors: 1, cpus: 0.5);

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task AGroupByAfterAnActorStageCountsAsLinqDoes()
    {
        var counts = await Tagged.GroupBy(static t => t.Value % 7).Count().ToListAsync().WaitAsync(TimeSpan.FromSeconds(120));

        var expected = Mapped.GroupBy(static v => v % 7).Select(static g => (g.Key, (long)g.Count())).OrderBy(static g => g.Key);
        Assert.Equal(expected, counts.OrderBy(static c => c.Key));
    }

    [Fact]
    public async Task AWriteAfterAnActorStageWritesEveryRowOnce()
    {
        var output = Path.Combine(directory.Path, "tagged");
        var written = await Tagged.WriteTextAsync(output, static t => t.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(Rows, written.Rows);
        var lines = await runtime.Plexus.Data().ReadText(output).ToListAsync();
        Assert.Equal(Mapped, lines.Select(long.Parse).Order());
    }
}
