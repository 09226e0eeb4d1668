using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using Microsoft.Win32.SafeHandles;
using Plexus.Data.Files;
using Plexus.Data.Files.Csv;
using Plexus.Data.Operators;

namespace Plexus.Data.Sources;

/// <summary>
/// Reads the CSV records of a byte-range split into typed rows with CsvHelper.
/// </summary>
/// <remarks>
/// <para>A split owns the records that start in <c>[Start, End)</c>, as text splits own lines; a quoted
/// field may hold line breaks, so record starts are found from the quote parity before the split's start
/// and end (<see cref="SplitQuotes"/>, <see cref="CsvRecordBoundary"/>), reading only the split's range and
/// the rest of its last record; when records never span lines they are the lines
/// (<see cref="CsvSourceOptions.MultilineRecords"/>). The parser is given the file's header record (when
/// there is one and the split does not start at 0) followed by exactly those records, so it sees a whole
/// CSV file of its own. A <c>.gz</c> file is read whole.</para>
/// <para>Row types bind by CsvHelper's generated mapper when marked <c>[CsvRecord]</c>, else by
/// their public properties or positional constructor (<see cref="CsvRowShape{T}"/>).</para>
/// <para>A malformed record raises <see cref="DataFormatException"/> with its line in the whole
/// file: the parser counts lines from the split's start, so the '\n' before it are counted then,
/// once, and only failures pay for it.</para>
/// </remarks>
internal static class CsvSplitReader
{
    /// <summary>Pushes the rows of the split's records into <paramref name="sink"/>, in batches of <see cref="SourceBatch.Rows"/>, at most <paramref name="rowLimit"/> of them.</summary>
    /// <returns>The number of rows pushed.</returns>
    /// <exception cref="DataFormatException">A record cannot be read as <typeparamref name="T"/>, or the header lacks one of its columns; names the file, the line and the column.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has a member that a CSV field cannot hold.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between batches).</exception>
    /// <param name="split">The byte range whose records are read.</param>
    /// <param name="options">How the file is read.</param>
    /// <param name="quotes">The quote parity before the split's start and end; not read when records never span lines, or for a compressed file.</param>
    /// <param name="sink">Takes the rows.</param>
    /// <param name="rowLimit">The most rows to push.</param>
    /// <param name="cancellationToken">Stops the read between batches.</param>
    public static long Read<T>(SourceSplit split, CsvSourceOptions options, SplitQuotes quotes, IBatchSink<T> sink, long rowLimit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowLimit);
        if (split.Unit != SplitUnit.Bytes)
        {
            throw new ArgumentException($"A CSV split is a byte range: {split.Describe()}.", nameof(split));
        }

        var compressed = ByteRangeSplitter.IsCompressed(split.Path);
        if (compressed && split.Start != 0)
        {
            throw new ArgumentException($"A compressed file is read whole by one split, from byte 0: {split.Describe()}.", nameof(split));
        }

        CsvBinding<T>.Ensure();
        if (rowLimit == 0)
        {
            return 0;
        }

        using var file = File.OpenHandle(split.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long first = 0, end = 0, length = 0;
        byte[] header = [];
        Stream input;
        if (compressed)
        {
            input = new GZipStream(new FileStream(file, FileAccess.Read, bufferSize: 64 * 1024), CompressionMode.Decompress);
        }
        else
        {
            length = RandomAccess.GetLength(file);
            (first, end) = options.MultilineRecords
                ? CsvRecordBoundary.RecordStarts(file, split.Start, split.End, length, quotes)
                : (LineBoundary.NextLineStart(file, split.Start, length), LineBoundary.NextLineStart(file, split.End, length));
            if (first >= end)
            {
                // No record starts in the split.
                return 0;
            }

            header = options.HasHeader && first > 0 ? HeaderLine(file, length, options) : [];
            input = new FileRangeStream(file, header, first, end);
        }

        using var csv = CsvReader.Create(input, ReaderOptions(options));
        if (options.HasHeader)
        {
            ThrowIfColumnsMissing<T>(csv, split);
        }

        var batch = new T[SourceBatch.Rows];
        var count = 0;
        long rows = 0;
        try
        {
            foreach (var row in csv.GetRecords<T>())
            {
                batch[count++] = row;
                if (++rows == rowLimit || count == batch.Length)
                {
                    sink.Push(batch.AsSpan(0, count));
                    count = 0;
                    if (rows == rowLimit)
                    {
                        return rows;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        catch (Exception e) when (e is CsvFormatException or CsvValidationException)
        {
            throw Malformed(e, csv, file, split, first, header.Length, compressed);
        }
        catch (QuotedLineBreakException e)
        {
            var at = e.Record;
            throw new DataFormatException(
                split.Path,
                "a quoted field holds a line break, and the file is read with one record per line (FileReadOptions.MultilineRecords is false); read it with MultilineRecords true",
                line: LinesBefore(file, first, header.Length) + at.LineNumber,
                byteOffset: compressed ? null : FileOffset(at.ByteOffset, first, header.Length),
                record: at.RawRecord.TrimEnd('\r', '\n'));
        }

        if (count > 0)
        {
            sink.Push(batch.AsSpan(0, count));
        }

        // The parser takes a quote left open as a field running to the file's end: the split that reads to the end checks.
        if (!compressed && options.MultilineRecords && end == length && CsvRecordBoundary.UnclosedRecordStart(file, first, length) is { } unclosed)
        {
            throw new DataFormatException(
                split.Path,
                "a quoted field is never closed: its opening '\"' has no closing one before the file ends; close it, and write a quote inside a field as \"\"",
                line: LineBoundary.CountNewlines(file, unclosed) + 1,
                byteOffset: unclosed);
        }

        return rows;
    }

    private static void ThrowIfColumnsMissing<T>(CsvReader csv, SourceSplit split)
    {
        csv.ReadHeader();
        if (!csv.TryValidateHeader<T>(out var missing) && missing.Count > 0)
        {
            var column = ColumnOf(missing[0]);
            throw new DataFormatException(
                split.Path,
                $"the header line has no column '{column}', which {typeof(T).Name} reads (its columns are {string.Join(", ", csv.Headers)}); name the column in the file, or the property after the column",
                line: 1,
                column: column);
        }
    }

    // CsvHelper names a missing column as "Quote.Ask ('Ask')": the member, then the column in quotes.
    private static string ColumnOf(string missing)
    {
        var open = missing.IndexOf(" ('", StringComparison.Ordinal);
        return open >= 0 && missing.EndsWith("')", StringComparison.Ordinal) ? missing[(open + 3)..^2] : missing;
    }

    private static CsvReaderOptions ReaderOptions(CsvSourceOptions options) => new()
    {
        HasHeader = options.HasHeader,
        Separator = options.Separator,
        FormatProvider = CultureInfo.InvariantCulture,
        AllowLineBreaksInQuotes = options.MultilineRecords,
        // A line break then ends the record even in quotes, which the parser reports here: a field cut short is an error, not a row.
        OnMalformedRecord = options.MultilineRecords ? null : static record =>
        {
            if (record.Reason == CsvMalformedReason.LineBreakInQuotes)
            {
                throw new QuotedLineBreakException(record);
            }
        },
        TrackLineNumbers = true,
        IncludeValuesInExceptions = true,
    };

    private static byte[] HeaderLine(SafeFileHandle file, long length, CsvSourceOptions options)
    {
        var headerEnd = options.MultilineRecords ? CsvRecordBoundary.RecordEnd(file, 0, length) : LineBoundary.NextLineStart(file, 1, length);
        var header = new byte[headerEnd];
        RandomAccess.Read(file, header, 0);
        return header;
    }

    private static DataFormatException Malformed(Exception error, CsvReader csv, SafeFileHandle file, SourceSplit split, long first, int headerBytes, bool compressed)
    {
        // The parser's lines count from its own stream: the header line, when prepended, then the split's lines.
        var format = error as CsvFormatException;
        long? line = format is { LineNumber: > 0 } ? LinesBefore(file, first, headerBytes) + format.LineNumber : null;
        long? byteOffset = format is null || compressed ? null : FileOffset(format.ByteOffset, first, headerBytes);
        string? column = format is { FieldIndex: >= 0 } && format.FieldIndex < csv.Headers.Count ? csv.Headers[format.FieldIndex]
            : format is { FieldIndex: >= 0 } ? format.FieldIndex.ToString(CultureInfo.InvariantCulture)
            : null;
        var record = format is null ? null : Encoding.UTF8.GetString(csv.RawRecord).TrimEnd('\r', '\n');
        var reason = format?.InnerException?.Message ?? error.Message;
        return new DataFormatException(split.Path, reason, line, byteOffset, column: column, record: record, innerException: error);
    }

    /// <summary>The lines of the file before the parser's first, which is the header's when it is prepended: what makes the parser's line numbers the file's.</summary>
    private static long LinesBefore(SafeFileHandle file, long first, int headerBytes) =>
        LineBoundary.CountNewlines(file, first) - (headerBytes > 0 ? 1 : 0);

    /// <summary>The file's offset of an offset in the parser's stream: the header's bytes, then the split's from <paramref name="first"/>.</summary>
    private static long FileOffset(long streamOffset, long first, int headerBytes) =>
        streamOffset < headerBytes ? streamOffset : first + streamOffset - headerBytes;

    /// <summary>Carries a record whose quoted field holds a line break out of the parser, when records are one line each.</summary>
    private sealed class QuotedLineBreakException(CsvMalformedRecord record) : Exception("A quoted field holds a line break.")
    {
        public CsvMalformedRecord Record { get; } = record;
    }
}
