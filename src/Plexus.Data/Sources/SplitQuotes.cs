namespace Plexus.Data.Sources;

/// <summary>
/// Whether an odd number of '"' come before a CSV split's start, and before its end, in its file: what
/// tells the split's line breaks that end records from those inside quoted fields
/// (<see cref="Files.Csv.CsvRecordBoundary"/>). Each is the XOR of the quote parities of the file's splits
/// before that offset. <see cref="OddBeforeEnd"/> is not read when the split ends at the file's end.
/// </summary>
internal readonly record struct SplitQuotes(bool OddBeforeStart, bool OddBeforeEnd);
