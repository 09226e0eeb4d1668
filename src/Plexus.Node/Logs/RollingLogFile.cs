namespace Plexus.Node;

/// <summary>
/// One process's log file, <c>NAME.log</c> in its directory, rotated by size: when a line would
/// take it past <see cref="MaxBytes"/>, it becomes <c>NAME.1.log</c> (the one before becomes
/// <c>NAME.2.log</c>, and so on), the oldest beyond <see cref="KeptFiles"/> is deleted, and a new
/// <c>NAME.log</c> starts. Each line is flushed as written, so a reader (or a crash) sees every
/// line the process logged. Thread-safe.
/// </summary>
internal sealed class RollingLogFile : IDisposable
{
    /// <summary>The size a file may reach before it rotates, by default: 10 MiB.</summary>
    public const long DefaultMaxBytes = 10 << 20;

    /// <summary>How many rotated files are kept besides the current one, by default.</summary>
    public const int DefaultKeptFiles = 3;

    private readonly object _lock = new();
    private readonly string _directory;
    private readonly string _name;
    // The current file, open for appending; null once disposed.
    private FileStream? _file;

    public RollingLogFile(string directory, string name, long maxBytes = DefaultMaxBytes, int keptFiles = DefaultKeptFiles)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(keptFiles);
        Directory.CreateDirectory(directory);
        _directory = directory;
        _name = name;
        MaxBytes = maxBytes;
        KeptFiles = keptFiles;
        _file = Open();
    }

    public long MaxBytes { get; }

    public int KeptFiles { get; }

    /// <summary>The current file's path.</summary>
    public string CurrentPath => PathOf(0);

    /// <summary>Appends one line (<paramref name="line"/> without its newline, UTF-8).</summary>
    public void WriteLine(ReadOnlySpan<byte> line)
    {
        lock (_lock)
        {
            if (_file is null)
            {
                return;
            }

            // A line longer than a whole file still goes in, alone in a fresh one.
            if (_file.Length > 0 && _file.Length + line.Length + 1 > MaxBytes)
            {
                Rotate();
            }

            _file.Write(line);
            _file.WriteByte((byte)'\n');
            _file.Flush();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    // Under the lock.
    private void Rotate()
    {
        _file!.Dispose();
        // The oldest goes (with none kept, that is the current file itself), then each moves one older.
        File.Delete(PathOf(KeptFiles));
        for (var i = KeptFiles - 1; i >= 0; i--)
        {
            if (File.Exists(PathOf(i)))
            {
                File.Move(PathOf(i), PathOf(i + 1), overwrite: true);
            }
        }

        _file = Open();
    }

    private FileStream Open() => new(CurrentPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    private string PathOf(int generation) => Path.Combine(_directory, generation == 0 ? $"{_name}.log" : $"{_name}.{generation}.log");
}
