using Plexus.Samples.WordCount;

namespace Plexus.Samples.Tests;

/// <summary>The word count job driven in this process, on an embedded cluster.</summary>
[Collection(PlexusRuntimeCollection.Name)]
[Slow]
public sealed class WordCountJobTests
{
    [Fact]
    public async Task JobCountsATinyInputSplitIntoManyChunks()
    {
        using var temp = new TempDirectory();
        var first = temp.File("first.txt");
        var second = temp.File("second.txt");
        await File.WriteAllTextAsync(first, "Café naïve—déjà vu! It's 42 times: DON'T stop.\nStop, stop; STOP?\n");
        // Longer than a chunk, with no separator inside: its chunk has to grow.
        await File.WriteAllTextAsync(second, "Supercalifragilisticexpialidocious words\n");
        var bytes = new FileInfo(first).Length + new FileInfo(second).Length;

        WordCountResult result;
        await using (var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2 }))
        {
            var options = new WordCountOptions { Reducers = 3, ChunkBytes = 16, MaxMapsInFlight = 2 };
            result = await WordCountJob.RunAsync(plexus, [first, second], options);
        }

        var expected = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["caf"] = 1, ["na"] = 1, ["ve"] = 1, ["d"] = 1, ["j"] = 1, ["vu"] = 1, ["it"] = 1, ["s"] = 1,
            ["times"] = 1, ["don"] = 1, ["t"] = 1, ["stop"] = 4, ["supercalifragilisticexpialidocious"] = 1, ["words"] = 1,
        };
        WordCountAssert.SameCounts(expected, result.Counts);
        Assert.Equal(17, result.TotalWords);
        Assert.Equal(14, result.DistinctWords);
        Assert.Equal(bytes, result.Bytes);
        Assert.Equal(3, result.ReduceTasks);
        Assert.True(result.MapTasks > 5, $"Expected many 16-byte chunks, got {result.MapTasks} map tasks.");
        Assert.Equal(new KeyValuePair<string, long>("stop", 4), result.Top(1)[0]);
    }

    [Fact]
    public async Task JobReadsChunksFromSharedMemoryAndFreesThemAll()
    {
        using var temp = new TempDirectory();
        var corpus = temp.File("corpus.txt");
        await CorpusGenerator.WriteAsync(corpus, 1 << 20, seed: 11);

        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2 });
        // Chunks above the 100 KiB inline threshold live in shared memory; one in flight at a time
        // makes the driver free each chunk before it puts the next.
        var options = new WordCountOptions { Reducers = 2, ChunkBytes = 200 * 1024, MaxMapsInFlight = 1 };
        var result = await WordCountJob.RunAsync(plexus, [corpus], options);

        Assert.Equal(new FileInfo(corpus).Length, result.Bytes);
        Assert.InRange(result.MapTasks, 6, 7);
        await Eventually.TrueAsync(() => plexus.StoreObjectCount == 0, "every chunk is freed");
        Assert.Equal(0, plexus.StoreBytesUsed);
    }
}
