using System.Diagnostics;

namespace Plexus.Samples.WordCount;

/// <summary>How the job splits its work.</summary>
internal sealed record WordCountOptions
{
    /// <summary>Reduce tasks, each owning a share of the words. Default: 4.</summary>
    public int Reducers { get; init; } = 4;

    /// <summary>Target bytes per chunk, hence per map task. Default: 4 MiB.</summary>
    public int ChunkBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Map tasks whose chunk may sit in the object store at once; reading waits for one to finish
    /// beyond that, so a corpus larger than the store still fits through it. Default: 16.
    /// </summary>
    public int MaxMapsInFlight { get; init; } = 16;
}

/// <summary>
/// The driver: puts the input into the object store chunk by chunk, runs one map task per chunk
/// and one reduce task per partition, and gathers the reducers' counts.
/// </summary>
internal static class WordCountJob
{
    /// <summary>
    /// Counts the words of <paramref name="files"/> on <paramref name="plexus"/>. Raises
    /// <see cref="TaskFailedException"/> when a task fails, and frees every object it made, even then.
    /// </summary>
    public static async Task<WordCountResult> RunAsync(
        PlexusRuntime plexus, IReadOnlyList<string> files, WordCountOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plexus);
        ArgumentNullException.ThrowIfNull(files);
        options ??= new WordCountOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Reducers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMapsInFlight, 1);

        var stopwatch = Stopwatch.StartNew();
        var reducers = options.Reducers;
        var map = plexus.Task<ReadOnlyMemory<byte>, int, Dictionary<string, long>[]>(WordCountTasks.Map)
            .WithOptions(new TaskOptions { Name = "wordcount-map" })
            .Returns(reducers);
        var reduce = plexus.Task<ObjectRef<Dictionary<string, long>>[], Dictionary<string, long>>(WordCountTasks.Reduce)
            .WithOptions(new TaskOptions { Name = "wordcount-reduce" });

        // partitions[r] holds reducer r's partition from every map task, in submission order.
        var partitions = Enumerable.Range(0, reducers).Select(_ => new List<ObjectRef<Dictionary<string, long>>>()).ToArray();
        // Chunks still in the store, each with its map task's first result, which is ready once the map is done.
        var chunksInStore = new List<(ObjectRef<byte[]> Chunk, ObjectRef<Dictionary<string, long>> MapDone)>();
        var reduceResults = Array.Empty<ObjectRef<Dictionary<string, long>>>();
        long bytes = 0;
        try
        {
            await foreach (var chunk in CorpusChunker.ReadChunksAsync(files, options.ChunkBytes, cancellationToken).ConfigureAwait(false))
            {
                if (chunksInStore.Count >= options.MaxMapsInFlight)
                {
                    await plexus.WaitAsync(chunksInStore.Select(c => c.MapDone).ToArray(), count: 1, cancellationToken: cancellationToken)
                        .ConfigureAwait(false);
                    FreeChunksOfFinishedMaps(chunksInStore);
                }

                bytes += chunk.Length;
                var chunkRef = plexus.Put(chunk);
                var mapResults = map.Remote(chunkRef.AsMemory(), reducers);
                chunksInStore.Add((chunkRef, mapResults[0]));
                for (var r = 0; r < reducers; r++)
                {
                    partitions[r].Add(mapResults[r]);
                }
            }

            reduceResults = [.. partitions.Select(p => reduce.Remote(p.ToArray()))];
            var perReducer = await plexus.GetAsync(reduceResults, cancellationToken: cancellationToken).ConfigureAwait(false);

            // Reducers own disjoint sets of words, so their counts join without merging.
            var counts = new Dictionary<string, long>(perReducer.Sum(d => d.Count), StringComparer.Ordinal);
            foreach (var (word, count) in perReducer.SelectMany(d => d))
            {
                counts.Add(word, count);
            }

            return new WordCountResult(counts, bytes, files.Count, partitions[0].Count, reducers, stopwatch.Elapsed);
        }
        finally
        {
            PlexusRuntime.Free([.. chunksInStore.Select(c => c.Chunk), .. partitions.SelectMany(p => p), .. reduceResults]);
        }
    }

    private static void FreeChunksOfFinishedMaps(List<(ObjectRef<byte[]> Chunk, ObjectRef<Dictionary<string, long>> MapDone)> chunksInStore)
    {
        foreach (var (chunk, mapDone) in chunksInStore)
        {
            if (mapDone.IsReady)
            {
                chunk.Dispose();
            }
        }

        chunksInStore.RemoveAll(c => c.MapDone.IsReady);
    }
}
