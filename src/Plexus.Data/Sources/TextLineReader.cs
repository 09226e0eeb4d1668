using System.Buffers;
using System.IO.Compression;
using System.Text;

namespace Plexus.Data.Sources;

/// <summary>
/// Reads the lines of a text split (UTF-8, '\n' or "\r\n" endings, an optional byte-order mark).
/// </summary>
/// <remarks>
/// <para>A split owns the lines that start in <c>[Start, End)</c>, so every line of a file is read by
/// exactly one of its splits, wherever the cuts fall: a split that starts inside the file skips to
/// just after the first '\n' at or after <c>Start − 1</c> (the previous split owns the line that
/// crosses its start), and reads past <c>End</c> to finish its own last line.</para>
/// <para>A <c>.gz</c> file is read whole from its start (its split must start at 0) and its
/// <c>End</c> is not used: compressed bytes say nothing about where lines are.</para>
/// </remarks>
internal static class TextLineReader
{
    private const int InitialBufferBytes = 64 * 1024;
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Pushes the split's lines as strings into <paramref name="sink"/>, in batches of <see cref="SourceBatch.Rows"/>.</summary>
    /// <returns>The number of lines pushed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between batches).</exception>
    public static long ReadLines(SourceSplit split, Operators.IBatchSink<string> sink, long rowLimit, CancellationToken cancellationToken)
    {
        var batcher = new StringBatcher(sink);
        var rows = ReadUtf8Lines(split, ref batcher, rowLimit, cancellationToken);
        batcher.Flush();
        return rows;
    }

    /// <summary>Calls <paramref name="action"/> with each of the split's lines as UTF-8 bytes.</summary>
    /// <returns>The number of lines read.</returns>
    public static long ReadUtf8Lines(SourceSplit split, Utf8LineAction action, long rowLimit, CancellationToken cancellationToken)
    {
        var consumer = new ActionConsumer(action);
        return ReadUtf8Lines(split, ref consumer, rowLimit, cancellationToken);
    }

    /// <summary>Gives each of the split's lines as UTF-8 bytes to <paramref name="consumer"/>, at most <paramref name="rowLimit"/> of them.</summary>
    /// <returns>The number of lines read.</returns>
    /// <exception cref="ArgumentException">The split is in row groups, or starts after 0 in a compressed file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked every <see cref="SourceBatch.Rows"/> lines).</exception>
    public static long ReadUtf8Lines<TConsumer>(SourceSplit split, ref TConsumer consumer, long rowLimit, CancellationToken cancellationToken)
        where TConsumer : IUtf8LineConsumer, allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowLimit);
        var compressed = ByteRangeSplitter.IsCompressed(split.Path);
        if (split.Unit != SplitUnit.Bytes || (compressed && split.Start != 0))
        {
            throw new ArgumentException($"A text split is a byte range, and starts at 0 in a compressed file: {split.Describe()}.", nameof(split));
        }

        using var file = new FileStream(split.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        using var stream = compressed ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        var end = compressed ? long.MaxValue : split.End;

        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        try
        {
            // The file offset of buffer[0]; bytes [lineStart, count) of the buffer are not consumed yet.
            long bufferOffset = Math.Max(0, split.Start - 1);
            if (bufferOffset > 0)
            {
                file.Seek(bufferOffset, SeekOrigin.Begin);
            }

            var count = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var endOfStream = count < buffer.Length;
            var lineStart = 0;

            // The mark belongs to the first line (which starts at 0 for the ownership rule) and is cut from it when it is given.
            var atByteOrderMark = split.Start == 0 && buffer.AsSpan(0, count).StartsWith(ByteOrderMark);
            if (atByteOrderMark)
            {
                lineStart = ByteOrderMark.Length;
            }

            // Only lines that start after a '\n' belong to a split that starts inside the file.
            var skipping = split.Start > 0;

            // Bytes [lineStart, searched) hold no '\n': what a refill need not search again.
            var searched = lineStart;
            long rows = 0;
            while (rows < rowLimit && (skipping || bufferOffset + lineStart < end || atByteOrderMark))
            {
                var newline = buffer.AsSpan(searched, count - searched).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    if (endOfStream)
                    {
                        if (!skipping && lineStart < count)
                        {
                            consumer.OnLine(WithoutCarriageReturn(buffer.AsSpan(lineStart, count - lineStart)));
                            rows++;
                        }

                        break;
                    }

                    // A line that crosses the split's start is skipped, not kept: it never grows the buffer.
                    searched = count;
                    if (skipping)
                    {
                        lineStart = count;
                    }

                    Refill(stream, ref buffer, ref bufferOffset, ref lineStart, ref searched, ref count, ref endOfStream);
                    continue;
                }

                var lineEnd = searched + newline;
                if (!skipping)
                {
                    consumer.OnLine(WithoutCarriageReturn(buffer.AsSpan(lineStart, lineEnd - lineStart)));
                    if (++rows % SourceBatch.Rows == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }

                skipping = atByteOrderMark = false;
                lineStart = searched = lineEnd + 1;
            }

            return rows;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Keeps the unconsumed bytes (a line cut by the buffer's end) and reads more after them: moved
    /// to the front, or into a buffer twice as large when the line fills the whole buffer.
    /// </summary>
    private static void Refill(Stream stream, ref byte[] buffer, ref long bufferOffset, ref int lineStart, ref int searched, ref int count, ref bool endOfStream)
    {
        var kept = count - lineStart;
        var target = buffer;
        if (lineStart == 0)
        {
            target = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        }

        buffer.AsSpan(lineStart, kept).CopyTo(target);
        if (!ReferenceEquals(target, buffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = target;
        }

        bufferOffset += lineStart;
        searched -= lineStart;
        lineStart = 0;
        var wanted = buffer.Length - kept;
        var read = stream.ReadAtLeast(buffer.AsSpan(kept), wanted, throwOnEndOfStream: false);
        endOfStream = read < wanted;
        count = kept + read;
    }

    private static ReadOnlySpan<byte> WithoutCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    /// <summary>Turns lines into strings and pushes them in batches.</summary>
    private struct StringBatcher(Operators.IBatchSink<string> sink) : IUtf8LineConsumer
    {
        private readonly string[] _batch = new string[SourceBatch.Rows];

        // The number of strings in _batch not pushed yet.
        private int _count;

        public void OnLine(ReadOnlySpan<byte> line)
        {
            _batch[_count++] = Encoding.UTF8.GetString(line);
            if (_count == _batch.Length)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_count > 0)
            {
                sink.Push(_batch.AsSpan(0, _count));
                _count = 0;
            }
        }
    }

    private readonly struct ActionConsumer(Utf8LineAction action) : IUtf8LineConsumer
    {
        public void OnLine(ReadOnlySpan<byte> line) => action(line);
    }
}
