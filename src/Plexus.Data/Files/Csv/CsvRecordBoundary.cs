using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Plexus.Data.Sources;

namespace Plexus.Data.Files.Csv;

/// <summary>
/// Finds CSV record starts by byte offset, for splits that cut CSV files anywhere while quoted fields
/// may hold line breaks (RFC 4180): the records that start in <c>[start, end)</c> are exactly the bytes
/// from the first record start at or after <c>start</c> to the first at or after <c>end</c>, as
/// <see cref="LineBoundary"/> gives lines.
/// </summary>
/// <remarks>
/// <para>Whether a line break ends a record depends on every quote before it: a '"' opens or closes a
/// quoted field, and an escaped quote ("") is two of them, so a '\n' ends a record exactly when an even
/// number of '"' come before it in the file. Nothing near an offset tells whether it is inside a quoted
/// field, so the parity of the quotes before a split's start and end is given (<see cref="SplitQuotes"/>):
/// each split's own quotes are counted once, over its own range, by <see cref="QuotesOdd(SourceSplit)"/>
/// (a vectorized count, far cheaper than parsing), and a split's parities are those of the splits
/// before it XORed. Given them, finding a split's records reads only its own range and the rest of its
/// last record.</para>
/// <para>A quote left open puts every later line break inside it: the splits after it own no record,
/// and the split where it opens reads on to the file's end; that split, the file's last to own a
/// record, finds the record with <see cref="UnclosedRecordStart"/> and reports it.</para>
/// </remarks>
internal static class CsvRecordBoundary
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Whether an odd number of '"' lie in the split's byte range: its share of every later offset's parity, what its parity task returns.</summary>
    public static bool QuotesOdd(SourceSplit split)
    {
        using var file = File.OpenHandle(split.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        return QuotesOdd(file, split.Start, Math.Min(split.End, RandomAccess.GetLength(file)));
    }

    /// <summary>Whether an odd number of '"' lie in <c>[start, end)</c>.</summary>
    public static bool QuotesOdd(SafeFileHandle file, long start, long end)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long quotes = 0;
            for (var position = start; position < end;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, end - position)), position);
                if (read == 0)
                {
                    break;
                }

                quotes += buffer.AsSpan(0, read).Count((byte)'"');
                position += read;
            }

            return (quotes & 1) != 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The records that start in <c>[start, end)</c>, as the bytes <c>[First, End)</c>; <c>First == End</c>
    /// when none does. Reads <c>[start − 1, end)</c> and the rest of the last record.
    /// </summary>
    public static (long First, long End) RecordStarts(SafeFileHandle file, long start, long end, long length, SplitQuotes quotes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        if (FirstRecordStart(file, start, quotes.OddBeforeStart, limit: Math.Min(end, length)) is not { } first)
        {
            return (end, end);
        }

        return (first, end >= length ? length : FirstRecordStart(file, end, quotes.OddBeforeEnd, limit: length) ?? length);
    }

    /// <summary>Where the record starting at <paramref name="recordStart"/> ends (the next one starts): the file's header record, read by every split.</summary>
    public static long RecordEnd(SafeFileHandle file, long recordStart, long length) =>
        Scan(file, recordStart, oddBefore: false, newlinesBefore: length) ?? length;

    /// <summary>
    /// The start of the record whose quote is never closed, when the records from <paramref name="from"/>
    /// (a record start) to the file's end leave one open; null when every quote is closed.
    /// </summary>
    public static long? UnclosedRecordStart(SafeFileHandle file, long from, long length)
    {
        if (!QuotesOdd(file, from, length))
        {
            // An even count closes every quote: the walk below is needed only to name the one left open.
            return null;
        }

        var (last, odd) = Walk(file, from, oddBefore: false, newlinesBefore: length, stopAtFirst: false);
        return odd ? last ?? from : null;
    }

    /// <summary>
    /// The first record start in <c>[offset, limit)</c>, given whether an odd number of '"' come before
    /// <paramref name="offset"/>; null when none. A record starts at 0, and just after each '\n' with an
    /// even number of '"' before it.
    /// </summary>
    private static long? FirstRecordStart(SafeFileHandle file, long offset, bool oddBefore, long limit)
    {
        if (offset >= limit)
        {
            return null;
        }

        if (offset == 0)
        {
            return 0;
        }

        // The byte before the offset may be the '\n' that ends a record there; a '\n' is no quote, so the parity before it is the offset's.
        Span<byte> previous = stackalloc byte[1];
        if (RandomAccess.Read(file, previous, offset - 1) == 1 && previous[0] == (byte)'\n' && !oddBefore)
        {
            return offset;
        }

        return Scan(file, offset, oddBefore, newlinesBefore: limit - 1);
    }

    /// <summary>
    /// Just after the first '\n' at a position in <c>[from, newlinesBefore)</c> with an even number of '"'
    /// before it, given the parity before <paramref name="from"/>; null when there is none.
    /// </summary>
    private static long? Scan(SafeFileHandle file, long from, bool oddBefore, long newlinesBefore) =>
        Walk(file, from, oddBefore, newlinesBefore, stopAtFirst: true).RecordStart;

    /// <summary>
    /// Walks <c>[from, newlinesBefore)</c> from the parity before <paramref name="from"/>: the first record
    /// start found (just after a '\n' with an even number of '"' before it) when <paramref name="stopAtFirst"/>,
    /// else the last one, and whether the quotes are odd where it stopped.
    /// </summary>
    private static (long? RecordStart, bool Odd) Walk(SafeFileHandle file, long from, bool oddBefore, long newlinesBefore, bool stopAtFirst)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var odd = oddBefore;
            long? recordStart = null;
            for (var position = from; position < newlinesBefore;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, newlinesBefore - position)), position);
                if (read == 0)
                {
                    break;
                }

                var chunk = buffer.AsSpan(0, read);
                for (var i = chunk.IndexOfAny((byte)'"', (byte)'\n'); i >= 0;)
                {
                    if (chunk[i] == (byte)'"')
                    {
                        odd = !odd;
                    }
                    else if (!odd)
                    {
                        recordStart = position + i + 1;
                        if (stopAtFirst)
                        {
                            return (recordStart, odd);
                        }
                    }

                    var next = chunk[(i + 1)..].IndexOfAny((byte)'"', (byte)'\n');
                    i = next < 0 ? -1 : i + 1 + next;
                }

                position += read;
            }

            return (recordStart, odd);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
