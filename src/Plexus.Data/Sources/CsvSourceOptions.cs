namespace Plexus.Data.Sources;

/// <summary>
/// How CSV files are read. Fields are parsed culture-invariant ("1.5", ISO dates); a quoted field
/// may hold line breaks (splits cut files at record starts, <see cref="Files.Csv.CsvRecordBoundary"/>).
/// </summary>
/// <param name="HasHeader">Whether the first line names the columns (the default); every split reads it. Without one, columns bind by position.</param>
/// <param name="Separator">The field separator; ',' by default.</param>
internal sealed record CsvSourceOptions(bool HasHeader = true, char Separator = ',')
{
    public static CsvSourceOptions Default { get; } = new();
}
