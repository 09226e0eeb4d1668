using Parquet;
using Plexus.Data.Files;

namespace Plexus.Data.Sources;

/// <summary>
/// Cuts Parquet files into splits of whole row groups (the unit Parquet can read alone), packed
/// together until the next would pass the target size (compressed bytes). A row group larger than
/// the target is a split alone. Files without row groups give no split.
/// </summary>
internal static class ParquetSplitter
{
    /// <exception cref="IOException">A file is not Parquet, or could not be read; the message names it.</exception>
    public static async Task<List<SourceSplit>> SplitAsync(IReadOnlyList<FileEntry> files, long targetBytes, string? nodeId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetBytes, 1);
        var splits = new List<SourceSplit>();
        foreach (var file in files)
        {
            var groupBytes = await RowGroupBytesAsync(file.Path, cancellationToken).ConfigureAwait(false);
            var start = 0;
            long packed = 0;
            for (var group = 0; group < groupBytes.Length; group++)
            {
                if (group > start && packed + groupBytes[group] > targetBytes)
                {
                    splits.Add(new SourceSplit(file.Path, start, group, SplitUnit.RowGroups, nodeId));
                    start = group;
                    packed = 0;
                }

                packed += groupBytes[group];
            }

            if (groupBytes.Length > start)
            {
                splits.Add(new SourceSplit(file.Path, start, groupBytes.Length, SplitUnit.RowGroups, nodeId));
            }
        }

        return splits;
    }

    private static async Task<long[]> RowGroupBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            var groups = reader.Metadata!.RowGroups;
            var bytes = new long[groups.Count];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = groups[i].TotalCompressedSize ?? groups[i].TotalByteSize;
            }

            return bytes;
        }
        catch (Exception e) when (e is not (OperationCanceledException or IOException))
        {
            throw new IOException($"Cannot read the Parquet footer of {path}: {e.Message}. Check that the file is Parquet and whole.", e);
        }
    }
}
