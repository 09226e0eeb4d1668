using System.Runtime.InteropServices;

namespace Plexus.Samples.WordCount;

/// <summary>The map and reduce tasks. They run in worker processes, so they are static and keep no state.</summary>
internal static class WordCountTasks
{
    /// <summary>
    /// Counts the words of one chunk (read in place from shared memory) and returns one partition
    /// per reducer: element <c>r</c> holds the words that <see cref="WordTokenizer.PartitionOf"/> sends to reducer <c>r</c>.
    /// </summary>
    public static Dictionary<string, long>[] Map(ReadOnlyMemory<byte> chunk, int reducers) =>
        WordTokenizer.Count(chunk.Span, reducers);

    /// <summary>Merges one reducer's partitions from every mapper, in the order the mappers finish.</summary>
    public static async Task<Dictionary<string, long>> Reduce(ObjectRef<Dictionary<string, long>>[] partitions)
    {
        var plexus = PlexusRuntime.Current;
        var merged = new Dictionary<string, long>(StringComparer.Ordinal);
        IReadOnlyList<ObjectRef<Dictionary<string, long>>> pending = partitions;
        while (pending.Count > 0)
        {
            (var ready, pending) = await plexus.WaitAsync(pending, count: 1);
            foreach (var partition in ready)
            {
                foreach (var (word, count) in await partition)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(merged, word, out _) += count;
                }
            }
        }

        return merged;
    }
}
