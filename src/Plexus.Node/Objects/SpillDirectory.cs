using System.Globalization;

namespace Plexus.Node;

/// <summary>
/// The node's directory of spill files: created on the first spill with an owner marker
/// (<see cref="SpillDirectoryOwner"/>), it holds one file per spill pass and is removed when the
/// node is disposed or its process exits. It also keeps the figures the node reports (bytes and
/// objects only on disk, files, and cumulative bytes moved each way). Only touched under the
/// node's lock, except <see cref="NewFilePath"/>, which the one spill pass at a time calls outside
/// it, and <see cref="Remove"/>, which the process-exit handler calls.
/// </summary>
internal sealed class SpillDirectory(string path) : IDisposable
{
    // Files that some object still needs (see SpillFile.LiveObjects).
    private readonly HashSet<SpillFile> _files = [];
    // Names files in the order they were written.
    private int _nextFile;
    // Guards _created and _removed: creating and removing the directory race at process exit.
    private readonly Lock _existence = new();
    // Whether this node created the directory (and so removes it).
    private bool _created;
    // Once removed, no spill may create the directory again.
    private bool _removed;

    public string Path { get; } = path;

    public int FileCount => _files.Count;

    // Objects only on disk (Spilled, or Restoring until their read ends) and their bytes. A restored
    // object whose file copy is kept is in memory and not counted, though its file stays.
    public long SpilledBytes { get; private set; }

    public int SpilledObjects { get; private set; }

    // Cumulative figures, for benchmarks and the memory report.
    public long BytesSpilled { get; set; }

    public long BytesRestored { get; set; }

    // Time spent in spill writes and restore reads (restores may overlap, so theirs can exceed wall time).
    public TimeSpan SpillTime { get; set; }

    public TimeSpan RestoreTime { get; set; }

    /// <summary>A path for the next spill file; throws <see cref="IOException"/> once the directory is removed.</summary>
    public string NewFilePath()
    {
        lock (_existence)
        {
            if (_removed)
            {
                throw new IOException($"The spill directory {Path} was removed: the node is stopping.");
            }

            if (!_created)
            {
                Directory.CreateDirectory(Path);
                SpillDirectoryOwner.Claim(Path);
                _created = true;
            }
        }

        return System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"spill-{Interlocked.Increment(ref _nextFile):D6}.bin"));
    }

    /// <summary>An object's bytes left memory: from now on they are only on disk.</summary>
    public void AddSpilled(long size)
    {
        SpilledObjects++;
        SpilledBytes += size;
    }

    /// <summary>An object only on disk came back into memory, or was freed.</summary>
    public void RemoveSpilled(long size)
    {
        SpilledObjects--;
        SpilledBytes -= size;
    }

    public void OnLive(SpillFile file)
    {
        if (file.LiveObjects > 0)
        {
            _files.Add(file);
        }
        else
        {
            _files.Remove(file);
        }
    }

    /// <summary>Closes and deletes every file left, and the directory.</summary>
    public void Dispose()
    {
        foreach (var file in _files.ToList())
        {
            file.Dispose();
        }

        _files.Clear();
        Remove();
    }

    /// <summary>
    /// Deletes the directory and the files in it, open or not (their space is freed as they are
    /// closed, at the latest when the process ends), and keeps spills from creating it again.
    /// </summary>
    public void Remove()
    {
        lock (_existence)
        {
            _removed = true;
            if (!_created)
            {
                return;
            }

            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left with its owner marker: a worker or the next node removes it once this process is gone.
            }
        }
    }
}
