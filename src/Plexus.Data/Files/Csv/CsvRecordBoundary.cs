using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Plexus.Data.Files.Csv;

/// <summary>
/// Finds CSV record starts by byte offset, for splits that cut CSV files anywhere while quoted fields
/// may hold line breaks (RFC 4180): the records that start in <c>[start, end)</c> are exactly the bytes
/// <c>[NextRecordStart(start), NextRecordStart(end))</c>, as <see cref="LineBoundary"/> gives lines.
/// </summary>
/// <remarks>
/// <para>Whether a line break ends a record depends on every quote before it: a '"' opens or closes a
/// quoted field, and an escaped quote ("") is two of them, so a '\n' ends a record exactly when an even
/// number of '"' come before it in the file. Nothing near an offset tells whether it is inside a quoted
/// field, so the quotes are counted from byte 0: a split reads its file's bytes before it once more,
/// with a vectorized count of '"' (far cheaper than parsing them), in exchange for being right
/// wherever the cut falls.</para>
/// <para>A quote left open puts every later line break inside it: the splits after it own no record,
/// and the split where it opens reads on to the file's end; that split, the file's last to own a
/// record, finds the record with <see cref="UnclosedRecordStart"/> and reports it.</para>
/// </remarks>
internal static class CsvRecordBoundary
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// The first record starts at or after <paramref name="start"/> and at or after <paramref name="end"/>
    /// (0 for 0, else just after the first '\n' outside quotes at or after the offset − 1, or the file's
    /// length when there is none), found in one pass from byte 0.
    /// </summary>
    public static (long First, long End) RecordStarts(SafeFileHandle file, long start, long end, long length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        var first = Scan(file, start, length, from: 0, quotesBefore: 0, out var quotes);
        return end <= first ? (first, first) : (first, Scan(file, end, length, from: first, quotesBefore: quotes, out _));
    }

    /// <summary>
    /// The start of the record whose quote is never closed, when the records from <paramref name="from"/>
    /// (a record start) to the file's end leave one open; null when every quote is closed.
    /// </summary>
    public static long? UnclosedRecordStart(SafeFileHandle file, long from, long length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var recordStart = from;
            var inQuotes = false;
            for (var position = from; position < length;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, length - position)), position);
                if (read == 0)
                {
                    break;
                }

                var chunk = buffer.AsSpan(0, read);
                for (var i = chunk.IndexOfAny((byte)'"', (byte)'\n'); i >= 0;)
                {
                    if (chunk[i] == (byte)'"')
                    {
                        inQuotes = !inQuotes;
                    }
                    else if (!inQuotes)
                    {
                        recordStart = position + i + 1;
                    }

                    var next = chunk[(i + 1)..].IndexOfAny((byte)'"', (byte)'\n');
                    i = next < 0 ? -1 : i + 1 + next;
                }

                position += read;
            }

            return inQuotes ? recordStart : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The first record start at or after <paramref name="offset"/>.</summary>
    public static long NextRecordStart(SafeFileHandle file, long offset, long length) => Scan(file, offset, length, from: 0, quotesBefore: 0, out _);

    /// <summary>
    /// Scans from <paramref name="from"/> (a record start at or before <paramref name="offset"/> − 1, with
    /// <paramref name="quotesBefore"/> quotes before it) for the first record start at or after
    /// <paramref name="offset"/>; gives the quotes before that start, so a later offset resumes there.
    /// </summary>
    private static long Scan(SafeFileHandle file, long offset, long length, long from, long quotesBefore, out long quotes)
    {
        quotes = quotesBefore;
        if (offset <= 0)
        {
            return 0;
        }

        if (offset >= length)
        {
            return length;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            // Before offset − 1 only the parity matters; from there, the first '\n' with an even count before it.
            var searchFrom = offset - 1;
            for (var position = from; position < length;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, length - position)), position);
                if (read == 0)
                {
                    break;
                }

                var chunk = buffer.AsSpan(0, read);
                var skip = (int)Math.Clamp(searchFrom - position, 0, read);
                quotes += chunk[..skip].Count((byte)'"');
                for (var i = skip; i < read;)
                {
                    var next = chunk[i..].IndexOfAny((byte)'"', (byte)'\n');
                    if (next < 0)
                    {
                        break;
                    }

                    i += next;
                    if (chunk[i] == (byte)'"')
                    {
                        quotes++;
                    }
                    else if (quotes % 2 == 0)
                    {
                        return position + i + 1;
                    }

                    i++;
                }

                position += read;
            }

            return length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
