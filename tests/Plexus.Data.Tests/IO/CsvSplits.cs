using Plexus.Data.Operators;
using Plexus.Data.Sources;

namespace Plexus.Data.Tests.IO;

/// <summary>
/// Reads CSV splits as read tasks do, each given the quote parity before its start and end, counted
/// here the straightforward way: every '"' of the file's bytes before the offset.
/// </summary>
internal static class CsvSplits
{
    public static long Read<T>(SourceSplit split, CsvSourceOptions options, IBatchSink<T> sink, long rowLimit = long.MaxValue) =>
        CsvSplitReader.Read(split, options, QuotesOf(split), sink, rowLimit, CancellationToken.None);

    /// <summary>The rows of the file cut into splits of <paramref name="splitBytes"/>, read in order.</summary>
    public static List<T> ReadAll<T>(string path, long splitBytes, CsvSourceOptions? options = null)
    {
        var sink = new ListSink<T>();
        foreach (var split in Cut(path, splitBytes))
        {
            Read(split, options ?? CsvSourceOptions.Default, sink);
        }

        return sink.Rows;
    }

    /// <summary>The file cut into splits of <paramref name="splitBytes"/> (the last one shorter).</summary>
    public static IEnumerable<SourceSplit> Cut(string path, long splitBytes)
    {
        var length = new FileInfo(path).Length;
        for (long start = 0; start < length; start += splitBytes)
        {
            yield return new SourceSplit(path, start, Math.Min(length, start + splitBytes));
        }
    }

    public static SplitQuotes QuotesOf(SourceSplit split)
    {
        var bytes = File.ReadAllBytes(split.Path);
        return new SplitQuotes(OddBefore(bytes, split.Start), OddBefore(bytes, split.End));
    }

    private static bool OddBefore(byte[] bytes, long offset) => bytes.AsSpan(0, (int)Math.Min(offset, bytes.Length)).Count((byte)'"') % 2 == 1;
}
