using Plexus.Data.Files;

namespace Plexus.Data.Sources;

/// <summary>
/// Cuts files into byte-range splits of about a target size, so that read tasks are of even size
/// and there are enough of them to keep every CPU busy.
/// </summary>
/// <remarks>
/// The split size is the target, made smaller when that gives fewer than the wanted number of
/// splits, but never under <see cref="MinSplitBytes"/>: a task per few kilobytes costs more to
/// schedule than to run. A file is cut into equal parts of about that size, so no file ends in a
/// sliver. Boundaries are multiples of the record size (1 for text), and a compressed file
/// (<c>.gz</c>) is one split, because it can only be read from its start. Empty files give no split.
/// </remarks>
internal static class ByteRangeSplitter
{
    public const long MinSplitBytes = 1 << 20;

    /// <param name="files">The files, in the order their splits should come.</param>
    /// <param name="targetBytes">The split size wanted (at least <see cref="MinSplitBytes"/> is used).</param>
    /// <param name="minSplits">The number of splits wanted at least, when the files are large enough.</param>
    /// <param name="recordBytes">Split boundaries are multiples of this: the size of a fixed-size record, or 1.</param>
    /// <param name="nodeId">The node the files are on, or null when every node sees them.</param>
    public static List<SourceSplit> Split(IReadOnlyList<FileEntry> files, long targetBytes, int minSplits, int recordBytes = 1, string? nodeId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minSplits, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(recordBytes, 1);

        long totalBytes = 0;
        foreach (var file in files)
        {
            totalBytes += file.Length;
        }

        // Rounded up: rounded down, one file cut for minSplits tasks would get a sliver of a split more,
        // and a last wave of one task on a cluster whose other CPUs wait.
        var splitBytes = Math.Max(MinSplitBytes, Math.Min(targetBytes, (totalBytes + minSplits - 1) / minSplits));
        var splits = new List<SourceSplit>();
        foreach (var file in files)
        {
            if (file.Length == 0)
            {
                continue;
            }

            if (IsCompressed(file.Path))
            {
                splits.Add(new SourceSplit(file.Path, 0, file.Length, SplitUnit.Bytes, nodeId));
                continue;
            }

            var records = file.Length / recordBytes;
            var parts = Math.Max(1, (file.Length + splitBytes - 1) / splitBytes);
            long start = 0;
            for (long part = 1; part <= parts; part++)
            {
                // The last part ends at the file's end, so a trailing partial record is read (and reported) by it.
                var end = part == parts ? file.Length : records * part / parts * recordBytes;
                if (end > start)
                {
                    splits.Add(new SourceSplit(file.Path, start, end, SplitUnit.Bytes, nodeId));
                    start = end;
                }
            }
        }

        return splits;
    }

    /// <summary>Whether the file is gzip-compressed (named <c>.gz</c>), and so read whole by one split.</summary>
    public static bool IsCompressed(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
}
