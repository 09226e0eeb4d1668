using System.Globalization;
using System.Text;

namespace Plexus.Samples.WordCount;

/// <summary>What a word count found, and what it took.</summary>
internal sealed class WordCountResult(
    IReadOnlyDictionary<string, long> counts, long bytes, int files, int mapTasks, int reduceTasks, TimeSpan elapsed)
{
    /// <summary>Every word (lowercase ASCII letters) and how often it occurs.</summary>
    public IReadOnlyDictionary<string, long> Counts { get; } = counts;

    /// <summary>Words in the input, counting repeats.</summary>
    public long TotalWords { get; } = counts.Values.Sum();

    /// <summary>Different words in the input.</summary>
    public int DistinctWords => Counts.Count;

    /// <summary>Bytes of input read.</summary>
    public long Bytes { get; } = bytes;

    /// <summary>Input files read.</summary>
    public int Files { get; } = files;

    /// <summary>Map tasks run: one per chunk.</summary>
    public int MapTasks { get; } = mapTasks;

    /// <summary>Reduce tasks run: one per partition.</summary>
    public int ReduceTasks { get; } = reduceTasks;

    /// <summary>Time from reading the first chunk to having every count in the driver.</summary>
    public TimeSpan Elapsed { get; } = elapsed;

    /// <summary>The <paramref name="count"/> most frequent words, most frequent first; ties in ordinal order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Top(int count) =>
        [.. Counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(count)];

    /// <summary>Writes one <c>word&lt;TAB&gt;count</c> line per word, sorted by word (ordinal), to <paramref name="path"/>.</summary>
    public async Task WriteTsvAsync(string path, CancellationToken cancellationToken = default)
    {
        var words = Counts.Keys.ToArray();
        Array.Sort(words, StringComparer.Ordinal);
        var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var word in words)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await writer.WriteAsync(word).ConfigureAwait(false);
                await writer.WriteAsync('\t').ConfigureAwait(false);
                await writer.WriteAsync(Counts[word].ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                await writer.WriteAsync('\n').ConfigureAwait(false);
            }
        }
    }
}
