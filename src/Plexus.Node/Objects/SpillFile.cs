using Microsoft.Win32.SafeHandles;
using Plexus.ObjectStore;

namespace Plexus.Node;

/// <summary>
/// One file of spilled objects, written in one sequential pass and read back object by object.
/// A restored object keeps its copy here (sealed bytes never change), so evicting it again needs
/// no write. The file is deleted as soon as none of its objects needs it: bytes of freed objects
/// are dead, and a file is never rewritten in place.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    // The largest span the arena hands out at once (its spans are int-sized).
    private const int ChunkBytes = 1 << 30;

    private readonly SafeFileHandle _handle;
    private readonly SpillDirectory _directory;

    private SpillFile(SpillDirectory directory, string path, SafeFileHandle handle)
    {
        _directory = directory;
        Path = path;
        _handle = handle;
    }

    public string Path { get; }

    // Objects whose bytes are still needed here: Spilled, being restored from it, or back in memory
    // with their copy kept. Under the node's lock.
    public int LiveObjects { get; private set; }

    /// <summary>
    /// Creates a file in <paramref name="directory"/> and writes each range of the arena one after
    /// the other. Runs outside the node's lock: the ranges are protected by the caller. Throws
    /// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> (the file is then removed).
    /// </summary>
    public static SpillFile Write(SpillDirectory directory, SharedMemoryArena arena, IReadOnlyList<(long Offset, long Size)> ranges)
    {
        var path = directory.NewFilePath();
        var total = ranges.Sum(r => r.Size);
        // Preallocating finds a full disk before any byte is written, and keeps the file contiguous.
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.None, total);
        try
        {
            var at = 0L;
            foreach (var (offset, size) in ranges)
            {
                for (var done = 0L; done < size;)
                {
                    var chunk = (int)Math.Min(ChunkBytes, size - done);
                    RandomAccess.Write(handle, arena.GetSpan(offset + done, chunk), at + done);
                    done += chunk;
                }

                at += size;
            }

            return new SpillFile(directory, path, handle);
        }
        catch
        {
            handle.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Reads <paramref name="size"/> bytes at <paramref name="fileOffset"/> into the arena; outside the node's lock.</summary>
    public void Read(long fileOffset, SharedMemoryArena arena, long offset, long size)
    {
        for (var done = 0L; done < size;)
        {
            var chunk = (int)Math.Min(ChunkBytes, size - done);
            var span = arena.GetSpan(offset + done, chunk);
            while (!span.IsEmpty)
            {
                var read = RandomAccess.Read(_handle, span, fileOffset + done);
                if (read == 0)
                {
                    throw new EndOfStreamException($"Spill file {Path} ends before the object at {fileOffset + done}.");
                }

                span = span[read..];
                done += read;
            }
        }
    }

    public void AddLive()
    {
        LiveObjects++;
        _directory.OnLive(this);
    }

    /// <summary>One of its objects no longer needs its copy (freed); returns true when it was the last one and the file is now deleted.</summary>
    public bool ReleaseLive()
    {
        LiveObjects--;
        _directory.OnLive(this);
        if (LiveObjects > 0)
        {
            return false;
        }

        // An unlink, not data I/O: cheap enough to run under the node's lock.
        Dispose();
        return true;
    }

    public void Dispose()
    {
        _handle.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The directory is removed at node dispose; a file that cannot go now goes then, or stays in temp.
        }
    }
}
