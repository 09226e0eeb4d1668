using System.IO.Enumeration;

namespace Plexus.Control.Packages;

/// <summary>
/// What the file system says about a file without reading it: when two scans see the same stamp,
/// the file is taken to hold the same bytes (as make and rsync take it).
/// </summary>
/// <param name="Length">The file's length in bytes.</param>
/// <param name="LastWriteTicks">The last write time, UTC ticks.</param>
/// <param name="CreationTicks">
/// The creation time, UTC ticks: on Windows and macOS it changes when the file is replaced by
/// another one. .NET exposes no inode or file id while enumerating, and on Linux no birth time
/// (it gives the earlier of the status change and last write times), so there it adds little.
/// </param>
internal readonly record struct FileStamp(long Length, long LastWriteTicks, long CreationTicks)
{
    /// <summary>The stamp of the file <paramref name="entry"/> names.</summary>
    public static FileStamp Of(ref FileSystemEntry entry) =>
        new(entry.Length, entry.LastWriteTimeUtc.UtcTicks, entry.CreationTimeUtc.UtcTicks);
}
