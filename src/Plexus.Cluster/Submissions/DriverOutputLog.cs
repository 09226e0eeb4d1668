using System.Text;
using Plexus.Control.Submissions;

namespace Plexus.Cluster.Submissions;

/// <summary>
/// What a submitted driver prints, standard output and standard error line by line in the order
/// they arrive, written to <c>&lt;node log dir&gt;/jobs/&lt;submission id&gt;.log</c>. The file is also
/// what <see cref="JobOutputSender"/> sends from: whatever the control service did not get is read
/// again from it, so nothing is held in memory and nothing is lost while the service is away.
/// </summary>
internal sealed class DriverOutputLog : IDisposable
{
    private readonly FileStream _file;

    // Serializes lines from the two streams, so each line is written whole.
    private readonly Lock _lock = new();

    // Bytes written and flushed: what a reader may read. Written under _lock, read without it.
    private long _length;

    // 1 once the driver's streams have ended: Length is final.
    private int _completed;

    public DriverOutputLog(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Bytes written so far.</summary>
    public long Length => Volatile.Read(ref _length);

    /// <summary>True once <see cref="Complete"/> was called: <see cref="Length"/> does not grow any more.</summary>
    public bool Completed => Volatile.Read(ref _completed) == 1;

    /// <summary>Pulsed after each line and at completion.</summary>
    public ChangeSignal Written { get; } = new();

    /// <summary>Appends one line (a line feed is added) and flushes it to the file.</summary>
    public void WriteLine(string line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_lock)
        {
            _file.Write(bytes);
            _file.Flush();
            Volatile.Write(ref _length, _length + bytes.Length);
        }

        Written.Pulse();
    }

    /// <summary>Says that no more lines come (the driver's streams ended).</summary>
    public void Complete()
    {
        Volatile.Write(ref _completed, 1);
        Written.Pulse();
    }

    /// <summary>Reads up to <paramref name="max"/> written bytes from <paramref name="offset"/>.</summary>
    public byte[] Read(long offset, int max)
    {
        int count = (int)Math.Min(max, Length - offset);
        var bytes = new byte[Math.Max(count, 0)];
        using var reader = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        reader.Position = offset;
        reader.ReadExactly(bytes);
        return bytes;
    }

    public void Dispose() => _file.Dispose();
}
