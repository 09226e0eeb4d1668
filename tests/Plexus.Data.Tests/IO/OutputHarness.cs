using Plexus.Data.Files;
using Plexus.Data.Sinks;
using Plexus.Data.Sources;

namespace Plexus.Data.Tests.IO;

/// <summary>Writes blocks through a <see cref="FileCommit"/> as write tasks do, and reads an output directory back as a source does.</summary>
internal static class OutputHarness
{
    public static async Task<WrittenPart> WriteBlockAsync<T>(FileCommit commit, int block, IReadOnlyList<T> rows, Func<Stream, IBlockFileWriter<T>> writerFor)
    {
        using var attempt = commit.BeginPart(block);
        var writer = writerFor(attempt.Stream);
        writer.Push(rows.ToArray());
        var written = await writer.CompleteAsync(CancellationToken.None);
        return attempt.Complete(written);
    }

    public static Task<WrittenPart> WriteTextBlockAsync(FileCommit commit, int block, params string[] lines) =>
        WriteBlockAsync(commit, block, lines, stream => new TextBlockWriter<string>(stream));

    /// <summary>Every line of every file the directory lists, file by file.</summary>
    public static List<string> ReadLines(string directory)
    {
        var sink = new ListSink<string>();
        foreach (var file in FileLister.List(directory))
        {
            TextLineReader.ReadLines(new SourceSplit(file.Path, 0, file.Length), sink, long.MaxValue, CancellationToken.None);
        }

        return sink.Rows;
    }

    /// <summary>The names of the directory's entries, hidden ones included, in ordinal order.</summary>
    public static List<string> Entries(string directory) =>
        [.. new DirectoryInfo(directory).EnumerateFileSystemInfos().Select(e => e.Name).Order(StringComparer.Ordinal)];
}
