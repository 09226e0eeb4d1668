using Plexus.Data.Execution;
using Plexus.Data.Sources;

namespace Plexus.Data.Files;

/// <summary>
/// Lists a file source's splits when a run starts: on the driver when the files are shared, or by
/// one task on each node when each node reads its own files (those splits are then read there).
/// </summary>
internal static class FileSplits
{
    /// <summary>What kind of file a source reads, which decides how it is cut.</summary>
    public enum Format
    {
        Lines,
        Records,
        Parquet,
    }

    public static async ValueTask<IReadOnlyList<SourceSplit>> ListAsync(
        RunContext run, string path, FileReadOptions options, Format format, int recordBytes, CancellationToken cancellationToken)
    {
        var locality = LocalityResolver.Resolve(options.Locality, path, run.Nodes.Count, MountTable.Current());
        if (locality == Locality.Shared)
        {
            return await SplitAsync(path, run.Options.TargetBlockBytes, 4 * run.Cpus, format, recordBytes, null, cancellationToken).ConfigureAwait(false);
        }

        var lists = run.Nodes.Where(n => n.Resources.GetValueOrDefault("CPU") > 0).Select(node =>
            run.Plexus.Task<string, long, int, Format, int, string, CancellationToken, SourceSplit[]>(ListOnNodeAsync)
                .WithOptions(new TaskOptions { Name = $"list {path} on {node.NodeId}", Strategy = SchedulingStrategy.NodeAffinity(node.NodeId) })
                .Remote(path, run.Options.TargetBlockBytes, Math.Max(1, 4 * run.Cpus / run.Nodes.Count), format, recordBytes, node.NodeId, cancellationToken))
            .ToList();
        try
        {
            return [.. (await run.Plexus.GetAsync(lists, cancellationToken: cancellationToken).ConfigureAwait(false)).SelectMany(s => s)];
        }
        finally
        {
            PlexusRuntime.Free([.. lists]);
        }
    }

    /// <summary>A node's own files at <paramref name="path"/>, as splits to read on it; none when it has no such path.</summary>
    internal static async Task<SourceSplit[]> ListOnNodeAsync(
        string path, long targetBytes, int minSplits, Format format, int recordBytes, string nodeId, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) && !Directory.Exists(path) && !path.Contains('*', StringComparison.Ordinal) && !path.Contains('?', StringComparison.Ordinal))
        {
            return [];
        }

        return [.. await SplitAsync(path, targetBytes, minSplits, format, recordBytes, nodeId, cancellationToken).ConfigureAwait(false)];
    }

    private static async Task<IReadOnlyList<SourceSplit>> SplitAsync(
        string path, long targetBytes, int minSplits, Format format, int recordBytes, string? nodeId, CancellationToken cancellationToken)
    {
        var files = FileLister.List(path);
        return format == Format.Parquet
            ? await ParquetSplitter.SplitAsync(files, targetBytes, nodeId, cancellationToken).ConfigureAwait(false)
            : ByteRangeSplitter.Split(files, targetBytes, minSplits, format == Format.Records ? recordBytes : 1, nodeId);
    }
}
