namespace Plexus.Data.Files;

/// <summary>A file found by a listing: its full path, its length in bytes and when it was last written (UTC).</summary>
internal sealed record FileEntry(string Path, long Length, DateTime LastWriteUtc)
{
    public static FileEntry Of(FileInfo file) => new(file.FullName, file.Length, file.LastWriteTimeUtc);
}
