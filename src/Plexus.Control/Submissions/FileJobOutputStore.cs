using System.Globalization;

namespace Plexus.Control.Submissions;

/// <summary>
/// Submissions' output in files, beside the control service's file storage, so that a restarted
/// service still serves it: <c>&lt;directory&gt;/&lt;submission id&gt;.&lt;start&gt;.log</c>, where start is
/// the offset of the file's first byte in the whole output. Each keeps the most recent
/// <see cref="JobOutputStore.Limit"/> bytes.
/// </summary>
/// <remarks>
/// Dropping the oldest bytes writes the kept ones to a new file named by its new start and renames
/// it into place before the old file is deleted: the name says where the bytes start, so a crash at
/// any point leaves a file whose name and content agree (when two are left, the later start wins).
/// Appends are not fsynced: a crash of the machine may lose the last bytes received, which the
/// node then sends again (it sends from the end the service answers).
/// </remarks>
internal sealed class FileJobOutputStore : JobOutputStore
{
    private const string Extension = ".log";
    private const string TemporaryExtension = ".tmp";

    private readonly string _directory;

    // Each submission's file start and length, read from the directory when opened. Under the base class's lock.
    private readonly Dictionary<string, (long Start, long Length)> _files = new(StringComparer.Ordinal);

    private FileJobOutputStore(string directory, long limit)
        : base(limit)
    {
        _directory = directory;
    }

    /// <summary>Opens (creating it if absent) the directory and reads which output it holds.</summary>
    /// <exception cref="IOException">The directory cannot be created or read.</exception>
    /// <exception cref="UnauthorizedAccessException">This process may not use the directory.</exception>
    public static FileJobOutputStore Open(string directory, long limit)
    {
        Directory.CreateDirectory(directory);
        var store = new FileJobOutputStore(directory, limit);
        foreach (var leftover in Directory.EnumerateFiles(directory, "*" + TemporaryExtension))
        {
            // A trim cut short: the file it was made from is still in place.
            File.Delete(leftover);
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (Parse(Path.GetFileName(path)) is not { } parsed)
            {
                continue;
            }

            var (id, start) = parsed;

            if (store._files.TryGetValue(id, out var other))
            {
                // A crash between a trim's rename and the old file's delete: the later start is the trimmed one.
                var (stale, kept) = other.Start < start ? (other.Start, start) : (start, other.Start);
                File.Delete(store.PathOf(id, stale));
                start = kept;
            }

            store._files[id] = (start, new FileInfo(store.PathOf(id, start)).Length);
        }

        return store;
    }

    public override void Dispose() => _files.Clear();

    protected override (long Start, long End) Extent(string submissionId) =>
        _files.TryGetValue(submissionId, out var file) ? (file.Start, file.Start + file.Length) : (0, 0);

    protected override void Write(string submissionId, ReadOnlySpan<byte> data)
    {
        var (start, length) = _files.GetValueOrDefault(submissionId);
        using (var stream = new FileStream(PathOf(submissionId, start), FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            stream.Write(data);
        }

        _files[submissionId] = (start, length + data.Length);
    }

    protected override void DropBefore(string submissionId, long newStart)
    {
        var (start, length) = _files[submissionId];
        string old = PathOf(submissionId, start);
        string trimmed = PathOf(submissionId, newStart);
        string temporary = trimmed + TemporaryExtension;
        using (var source = new FileStream(old, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var target = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            source.Position = newStart - start;
            source.CopyTo(target);
        }

        File.Move(temporary, trimmed, overwrite: true);
        File.Delete(old);
        _files[submissionId] = (newStart, length - (newStart - start));
    }

    protected override byte[] ReadKept(string submissionId, long keptOffset, int count)
    {
        var (start, _) = _files[submissionId];
        using var stream = new FileStream(PathOf(submissionId, start), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = keptOffset;
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }

    protected override void Remove(string submissionId)
    {
        if (_files.Remove(submissionId, out var file))
        {
            File.Delete(PathOf(submissionId, file.Start));
        }
    }

    private string PathOf(string submissionId, long start) =>
        Path.Combine(_directory, $"{submissionId}.{start.ToString(CultureInfo.InvariantCulture)}{Extension}");

    // "<id>.<start>.log" (ids hold no dots); null for a file of another shape.
    private static (string Id, long Start)? Parse(string name)
    {
        string[] parts = name[..^Extension.Length].Split('.');
        return parts.Length == 2 && SubmissionIds.IsValid(parts[0])
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            ? (parts[0], start)
            : null;
    }
}
