namespace Plexus.Node;

/// <summary>
/// The node's log directory as <c>plexus logs --node</c> reads it through the control service: its
/// processes' log files (<c>*.log</c> directly in it; job output under <c>jobs/</c> is read with
/// <c>plexus logs JOB</c>), listed, and read by range. Names are plain file names in the
/// directory: a path out of it is refused.
/// </summary>
internal sealed class NodeLogDirectory(string path)
{
    public string Path { get; } = path;

    /// <summary>The log files, by name.</summary>
    public IReadOnlyList<LogFileEntry> List()
    {
        if (!Directory.Exists(Path))
        {
            return [];
        }

        return [.. new DirectoryInfo(Path).EnumerateFiles("*.log")
            .Select(f => new LogFileEntry(f.Name, f.Length, f.LastWriteTimeUtc))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Up to <paramref name="maxBytes"/> of <paramref name="name"/> from <paramref name="offset"/>
    /// (negative: that many bytes before the end), with the offset read from and the file's size.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such log file here.</exception>
    /// <exception cref="ArgumentException">The name is not a plain file name.</exception>
    public LogFileRange Read(string name, long offset, int maxBytes)
    {
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ArgumentException($"'{name}' is not a log file's name.", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var full = System.IO.Path.Combine(Path, name);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"There is no log file {name} in {Path}: plexus logs --node NODE --list lists them.", full);
        }

        using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = file.Length;
        var from = offset < 0 ? Math.Max(0, size + offset) : Math.Min(offset, size);
        var data = new byte[(int)Math.Min(maxBytes, size - from)];
        file.Position = from;
        file.ReadExactly(data);
        return new LogFileRange(data, from, size);
    }
}

/// <summary>A log file of the node: its name in the log directory, size, and when it was last written.</summary>
internal sealed record LogFileEntry(string Name, long Size, DateTime ModifiedUtc);

/// <summary>Bytes of a log file from <paramref name="Offset"/>, and the file's size when they were read.</summary>
internal sealed record LogFileRange(byte[] Data, long Offset, long Size);
