namespace Plexus.Data;

/// <summary>
/// Input that a source could not read: a malformed CSV row, a Parquet column that does not match
/// the row type, a fixed-size record file whose length is not a whole number of records. The
/// properties say where, so the user can find and fix the input.
/// </summary>
/// <remarks>
/// Every property is plain data, so the exception keeps its type and its properties when it is
/// raised by a task on a worker and caught by the driver. The properties that do not apply to a
/// format are null: <see cref="Line"/> and <see cref="Column"/> for CSV and text,
/// <see cref="RowGroup"/> and <see cref="Column"/> for Parquet, <see cref="ByteOffset"/> for records.
/// </remarks>
public sealed class DataFormatException : FormatException
{
    /// <summary>The longest <see cref="Record"/> kept: longer records are cut to this many characters.</summary>
    public const int MaxRecordChars = 200;

    /// <summary>Creates an exception for malformed input in <paramref name="file"/>.</summary>
    /// <param name="file">The file that holds the malformed input.</param>
    /// <param name="reason">What is wrong, in words the user can act on.</param>
    /// <param name="line">The 1-based line in the whole file, or null when lines do not apply.</param>
    /// <param name="byteOffset">The offset in the file of the malformed input, or null when unknown.</param>
    /// <param name="rowGroup">The 0-based Parquet row group, or null when not Parquet.</param>
    /// <param name="column">The column's name (or its 0-based index when the input has no names), or null.</param>
    /// <param name="record">The malformed record's text, cut to <see cref="MaxRecordChars"/> characters, or null.</param>
    /// <param name="innerException">The parser's own exception, or null.</param>
    public DataFormatException(
        string file,
        string reason,
        long? line = null,
        long? byteOffset = null,
        int? rowGroup = null,
        string? column = null,
        string? record = null,
        Exception? innerException = null)
        : base(Describe(file, reason, line, byteOffset, rowGroup, column), innerException)
    {
        File = file;
        Reason = reason;
        Line = line;
        ByteOffset = byteOffset;
        RowGroup = rowGroup;
        Column = column;
        Record = record is { Length: > MaxRecordChars } ? record[..MaxRecordChars] : record;
    }

    /// <summary>The file that holds the malformed input.</summary>
    public string File { get; }

    /// <summary>What is wrong with the input.</summary>
    public string Reason { get; }

    /// <summary>The 1-based line in the whole file (not in the split that was read), or null.</summary>
    public long? Line { get; }

    /// <summary>The offset in bytes of the malformed input from the start of the file, or null.</summary>
    public long? ByteOffset { get; }

    /// <summary>The 0-based Parquet row group, or null.</summary>
    public int? RowGroup { get; }

    /// <summary>The column's name, or its 0-based index when the input names no columns; null when not known.</summary>
    public string? Column { get; }

    /// <summary>The malformed record's text, at most <see cref="MaxRecordChars"/> characters, or null.</summary>
    public string? Record { get; }

    private static string Describe(string file, string reason, long? line, long? byteOffset, int? rowGroup, string? column)
    {
        var where = file;
        if (line is { } l)
        {
            where += $" line {l}";
        }

        if (rowGroup is { } g)
        {
            where += $" row group {g}";
        }

        if (column is not null)
        {
            where += $" column '{column}'";
        }

        if (byteOffset is { } offset)
        {
            where += $" at byte {offset}";
        }

        return $"Malformed input in {where}: {reason.TrimEnd('.')}. Fix or remove the input, or read it as text to inspect it.";
    }
}
