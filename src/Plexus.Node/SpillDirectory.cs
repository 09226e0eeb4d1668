using System.Globalization;

namespace Plexus.Node;

/// <summary>
/// The node's directory of spill files: created on the first spill, it holds one file per spill
/// pass and is removed when the node is disposed. It also keeps the figures the node reports
/// (live spilled bytes and objects, files, and cumulative bytes moved each way). Only touched
/// under the node's lock, except <see cref="NewFilePath"/>, which the one spill pass at a time calls outside it.
/// </summary>
internal sealed class SpillDirectory(string path) : IDisposable
{
    // Files that still hold a spilled object.
    private readonly HashSet<SpillFile> _files = [];
    // Names files in the order they were written.
    private int _nextFile;
    // Whether this node created the directory (and so removes it).
    private bool _created;

    public string Path { get; } = path;

    public int FileCount => _files.Count;

    public long SpilledBytes { get; private set; }

    public int SpilledObjects { get; private set; }

    // Cumulative figures, for benchmarks and the memory report.
    public long BytesSpilled { get; set; }

    public long BytesRestored { get; set; }

    // Time spent in spill writes and restore reads (restores may overlap, so theirs can exceed wall time).
    public TimeSpan SpillTime { get; set; }

    public TimeSpan RestoreTime { get; set; }

    public string NewFilePath()
    {
        if (!Directory.Exists(Path))
        {
            Directory.CreateDirectory(Path);
            _created = true;
        }

        return System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"spill-{Interlocked.Increment(ref _nextFile):D6}.bin"));
    }

    public void OnLive(SpillFile file, int objects, long bytes)
    {
        SpilledObjects += objects;
        SpilledBytes += bytes;
        if (file.LiveObjects > 0)
        {
            _files.Add(file);
        }
        else
        {
            _files.Remove(file);
        }
    }

    /// <summary>Deletes every file left and the directory, if this node created it.</summary>
    public void Dispose()
    {
        foreach (var file in _files.ToList())
        {
            file.Dispose();
        }

        _files.Clear();
        if (_created)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Leave it: the temp directory is the system's to clean.
            }
        }
    }
}
