using System.Buffers;
using System.Runtime.CompilerServices;

namespace Plexus.Samples.WordCount;

/// <summary>
/// Reads input files as chunks of about a given size that end at a whitespace byte, so no word is
/// cut in two. Chunks never span files: the end of a file separates words.
/// </summary>
internal static class CorpusChunker
{
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\n\r\f\v"u8);

    /// <summary>
    /// The files of <paramref name="path"/>: the file itself, or every file under the folder,
    /// recursively, in ordinal order of their paths so runs are repeatable.
    /// </summary>
    public static IReadOnlyList<string> ListFiles(string path)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"Input path '{path}' does not exist.", path);
        }

        var files = Directory.GetFiles(Path.GetFullPath(path), "*", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Yields the chunks of <paramref name="files"/> in order. A chunk is at most
    /// <paramref name="chunkBytes"/> long unless no separator occurs in that many bytes; then it
    /// grows until one does (or the file ends).
    /// </summary>
    public static async IAsyncEnumerable<byte[]> ReadChunksAsync(
        IReadOnlyList<string> files, int chunkBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        var buffer = new byte[chunkBytes];
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0,
                FileOptions.Asynchronous | FileOptions.SequentialScan);

            // Bytes at the start of `buffer` read but not yet handed out in a chunk.
            var filled = 0;
            while (true)
            {
                filled += await stream.ReadAtLeastAsync(buffer.AsMemory(filled), buffer.Length - filled,
                    throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (filled < buffer.Length)
                {
                    if (filled > 0)
                    {
                        yield return buffer[..filled];
                    }

                    break;
                }

                var end = LastSeparator(buffer) + 1;
                if (end == 0)
                {
                    // A single word fills the whole buffer: read on until it ends.
                    Array.Resize(ref buffer, buffer.Length * 2);
                    continue;
                }

                yield return buffer[..end];
                buffer.AsSpan(end, filled - end).CopyTo(buffer);
                filled -= end;
            }
        }
    }

    // Whitespace is the natural cut; any other non-letter byte separates words too, so it serves
    // when a long stretch has no whitespace (minified or binary input).
    private static int LastSeparator(ReadOnlySpan<byte> bytes)
    {
        var whitespace = bytes.LastIndexOfAny(Whitespace);
        return whitespace >= 0 ? whitespace : bytes.LastIndexOfAnyExcept(WordTokenizer.Letters);
    }
}
