namespace Plexus.Data.Sources;

/// <summary>
/// How CSV files are read. Fields are parsed culture-invariant ("1.5", ISO dates).
/// </summary>
/// <param name="HasHeader">Whether the first line names the columns (the default); every split reads it. Without one, columns bind by position.</param>
/// <param name="Separator">The field separator; ',' by default.</param>
/// <param name="MultilineRecords">
/// Whether a quoted field may hold line breaks (the default, RFC 4180): splits then cut files at record
/// starts, which needs the quote parity before each split (<see cref="Files.Csv.CsvRecordBoundary"/>).
/// False says every record is one line: splits cut at line breaks alone, and every line break ends a
/// record, in a quoted field too (CsvHelper's <c>AllowLineBreaksInQuotes</c> off).
/// </param>
internal sealed record CsvSourceOptions(bool HasHeader = true, char Separator = ',', bool MultilineRecords = true)
{
    public static CsvSourceOptions Default { get; } = new();
}
