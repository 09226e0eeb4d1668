using System.Globalization;
using Plexus.Data.Files;

namespace Plexus.Data.Sinks;

/// <summary>
/// Writes a dataset into a directory so that readers see all of one run's files or none: nothing
/// half written, no duplicates after retries.
/// </summary>
/// <remarks>
/// <para>The protocol (Hadoop's and Spark's file committer, one file per block):</para>
/// <list type="number">
/// <item><see cref="Prepare"/>, before any task: check the mode, create <c>dir/_temporary/&lt;runId&gt;</c>.</item>
/// <item>Per block, on a worker, <see cref="BeginPart"/>: write a temporary file in that directory,
/// sync it, rename it to <c>part-&lt;block:D6&gt;.&lt;ext&gt;</c>. The name depends only on the block, so
/// a retried or duplicate attempt replaces the same file with the same rows.</item>
/// <item><see cref="Commit"/>, once every block is written: move the parts into <c>dir</c>, sync the
/// directory, write the <c>_SUCCESS</c> manifest (temporary file, then rename), delete the run's
/// temporary directory. An attempt still running then fails, as its directory is gone.</item>
/// <item><see cref="Abort"/> on failure or cancel: delete the run's temporary directory.</item>
/// </list>
/// <para>Readers skip names starting with '_' and read exactly what a manifest lists, so until the
/// manifest is renamed into place they see the directory's previous content.</para>
/// <para>A commit is safe to run again after it failed halfway: parts already moved are not moved
/// twice.</para>
/// <para>The commit is a value of its constructor's arguments, so the driver sends it to write tasks
/// as it is (MessagePack, contractless) and they call <see cref="BeginPart"/>.</para>
/// </remarks>
internal sealed class FileCommit
{
    public const string TemporaryDirectoryName = "_temporary";

    /// <param name="outputDirectory">The output directory; created if missing.</param>
    /// <param name="runId">The run's id: names the temporary directory and the manifest's run; unique per run.</param>
    /// <param name="mode">What to do with data already in the directory.</param>
    /// <param name="extension">The parts' file extension, without the dot ("csv").</param>
    /// <param name="nodeId">The node the directory is on, recorded in the manifest; null when every node sees it.</param>
    public FileCommit(string outputDirectory, string runId, WriteMode mode, string extension, string? nodeId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(extension);
        if (runId.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"The run id '{runId}' cannot be part of a file name.", nameof(runId));
        }

        OutputDirectory = Path.GetFullPath(outputDirectory);
        RunId = runId;
        Mode = mode;
        Extension = extension;
        NodeId = nodeId;
        RunDirectory = Path.Combine(OutputDirectory, TemporaryDirectoryName, runId);
    }

    public string OutputDirectory { get; }

    public string RunId { get; }

    public WriteMode Mode { get; }

    public string Extension { get; }

    public string? NodeId { get; }

    /// <summary>Where attempts write: <c>dir/_temporary/&lt;runId&gt;</c>.</summary>
    public string RunDirectory { get; }

    /// <summary>The file name of a block's part: <c>part-000017.csv</c>, or with the run's id first in <see cref="WriteMode.Append"/>.</summary>
    public string PartName(int block) => Mode == WriteMode.Append
        ? string.Create(CultureInfo.InvariantCulture, $"part-{RunId[..Math.Min(8, RunId.Length)]}-{block:D6}.{Extension}")
        : string.Create(CultureInfo.InvariantCulture, $"part-{block:D6}.{Extension}");

    /// <summary>Checks the mode against the directory and creates the run's temporary directory. Runs before any block is written, on every node that writes.</summary>
    /// <exception cref="IOException">The mode is <see cref="WriteMode.ErrorIfExists"/> and the directory holds data; the message names it.</exception>
    public void Prepare()
    {
        ThrowIfDataExists(ownNames: null);
        Directory.CreateDirectory(RunDirectory);
    }

    /// <summary>Starts an attempt at writing <paramref name="block"/>'s file.</summary>
    /// <exception cref="IOException">The run's temporary directory is gone: the run was committed or aborted.</exception>
    public PartAttempt BeginPart(int block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        return new PartAttempt(block, RunDirectory, PartName(block));
    }

    /// <summary>Moves every written part into the directory and writes its <c>_SUCCESS</c> manifest.</summary>
    /// <param name="parts">One per block, as the blocks' attempts returned them.</param>
    /// <returns>The manifest written.</returns>
    /// <exception cref="IOException">A part is missing, the mode forbids writing (data appeared since <see cref="Prepare"/>), or the file system failed; nothing is visible unless the manifest was written.</exception>
    public SuccessManifest Commit(IReadOnlyList<WrittenPart> parts)
    {
        var ordered = parts.OrderBy(p => p.Block).ToList();

        // This run's part names: a commit run again after failing halfway finds some of them moved already.
        var ownNames = ordered.Select(p => p.FileName).ToHashSet(StringComparer.Ordinal);
        ThrowIfDataExists(ownNames);
        var committed = new List<ManifestFile>(parts.Count);
        if (Mode == WriteMode.Append)
        {
            committed.AddRange(ExistingFiles().Where(f => !ownNames.Contains(f.Name)));
        }

        foreach (var part in ordered)
        {
            var source = Path.Combine(RunDirectory, part.FileName);
            if (!File.Exists(source) && !File.Exists(Path.Combine(OutputDirectory, part.FileName)))
            {
                throw new IOException($"Cannot commit {OutputDirectory}: the file of block {part.Block} ({source}) is missing. Run the write again.");
            }
        }

        if (Mode == WriteMode.Overwrite)
        {
            DeleteOldData(ownNames);
        }

        foreach (var part in ordered)
        {
            var source = Path.Combine(RunDirectory, part.FileName);
            if (File.Exists(source))
            {
                File.Move(source, Path.Combine(OutputDirectory, part.FileName), overwrite: true);
            }

            committed.Add(new ManifestFile(part.FileName, part.Rows, part.Bytes));
        }

        DirectoryDurability.Sync(OutputDirectory);
        var manifest = new SuccessManifest(RunId, NodeId, committed);
        WriteManifest(manifest);
        DeleteRunDirectory();
        return manifest;
    }

    /// <summary>Deletes everything the run wrote; the directory keeps what it held before.</summary>
    /// <exception cref="IOException">The run's temporary directory could not be deleted (for the caller to log: readers never see it).</exception>
    public void Abort() => DeleteRunDirectory();

    private void ThrowIfDataExists(HashSet<string>? ownNames)
    {
        if (Mode != WriteMode.ErrorIfExists || !Directory.Exists(OutputDirectory))
        {
            return;
        }

        var holdsData = File.Exists(SuccessManifest.PathIn(OutputDirectory))
            || new DirectoryInfo(OutputDirectory).EnumerateFileSystemInfos().Any(e => !HiddenEntries.IsHidden(e.Name) && ownNames?.Contains(e.Name) != true);
        if (holdsData)
        {
            throw new IOException($"The output directory {OutputDirectory} already holds data. Write with WriteMode.Overwrite to replace it or WriteMode.Append to add to it, or choose another directory.");
        }
    }

    // The files an append keeps: what the old manifest lists, or else the directory's visible files.
    private List<ManifestFile> ExistingFiles()
    {
        if (SuccessManifest.TryRead(OutputDirectory) is { } old)
        {
            return [.. old.Files];
        }

        var files = new List<ManifestFile>();
        if (Directory.Exists(OutputDirectory))
        {
            foreach (var file in new DirectoryInfo(OutputDirectory).EnumerateFiles())
            {
                if (!HiddenEntries.IsHidden(file.Name))
                {
                    files.Add(new ManifestFile(file.Name, Rows: null, file.Length));
                }
            }
        }

        files.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return files;
    }

    private void DeleteOldData(HashSet<string> ownNames)
    {
        // The manifest goes first: without it, readers see the visible files, never a list naming deleted ones.
        File.Delete(SuccessManifest.PathIn(OutputDirectory));
        foreach (var file in new DirectoryInfo(OutputDirectory).EnumerateFiles())
        {
            var movedByThisRun = ownNames.Contains(file.Name) && !File.Exists(Path.Combine(RunDirectory, file.Name));
            if (!HiddenEntries.IsHidden(file.Name) && !movedByThisRun)
            {
                file.Delete();
            }
        }
    }

    private void WriteManifest(SuccessManifest manifest)
    {
        var temporary = Path.Combine(OutputDirectory, $"{SuccessManifest.FileName}.{Guid.NewGuid():N}.tmp");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(manifest.ToJson());
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, SuccessManifest.PathIn(OutputDirectory), overwrite: true);
        DirectoryDurability.Sync(OutputDirectory);
    }

    private void DeleteRunDirectory()
    {
        try
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        // The shared _temporary goes too once no other run uses it; another run's files keep it.
        var temporaryRoot = Path.Combine(OutputDirectory, TemporaryDirectoryName);
        try
        {
            Directory.Delete(temporaryRoot, recursive: false);
        }
        catch (IOException)
        {
            // Not empty (another run is writing) or already gone.
        }
    }
}
