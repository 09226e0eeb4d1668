using System.Security.Cryptography;
using System.Text;

namespace Plexus.Control.Packages;

/// <summary>
/// The content hashes of earlier scans, kept in a directory, one small file per application
/// folder: a scan then reads only the files that changed, where a driver with hundreds of MB of
/// dependencies would otherwise hash them all at every start.
/// </summary>
/// <remarks>
/// <para>
/// A file is taken to be unchanged when its <see cref="FileStamp"/> is the one it had when it was
/// hashed (as make and rsync take it), and only when it was last written at least
/// <see cref="SettleTime"/> before the scan that hashed it began: a file system with a coarse clock
/// (FAT keeps 2 s) gives a write just after the hash the same stamp as the content that was
/// hashed. Anything else is hashed again.
/// </para>
/// <para>
/// The cache is only ever a shortcut: a file that is missing, unreadable, damaged (a SHA-256 of the
/// rest closes it) or of another format is ignored and written anew, and a failure to write is
/// ignored too. A file is replaced by a rename, so a reader never sees half of one, and of two
/// scans saving at once one wins whole. Each holds only the files its folder's last scan saw.
/// </para>
/// </remarks>
internal sealed class FileHashCache
{
    /// <summary>How long before a scan a file must have been last written for its stamp to be trusted: 2 s, the coarsest clock of common file systems.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    // Leads every file, so a later format is never read as this one.
    private static readonly byte[] FormatTag = "plexus-file-hashes-v1\n"u8.ToArray();

    private static readonly IReadOnlyDictionary<string, KnownHash> Nothing = new Dictionary<string, KnownHash>();

    // Where the cache files are kept: one per folder scanned.
    private readonly string _directory;
    private readonly TimeProvider _time;

    /// <param name="directory">Where the cache files are kept; created when first written.</param>
    /// <param name="time">The clock scans start by; <see cref="TimeProvider.System"/> when null.</param>
    public FileHashCache(string directory, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Path.GetFullPath(directory);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Begins a scan of <paramref name="folder"/>: what earlier scans knew of it, nothing when the cache cannot be read.</summary>
    public FolderHashes Open(string folder)
    {
        string root = Path.GetFullPath(folder);
        var startedAt = _time.GetUtcNow();
        return new FolderHashes(this, root, Read(root), startedAt.UtcTicks - SettleTime.Ticks);
    }

    /// <summary>The hashes kept for <paramref name="folder"/> by path relative to it; empty when there are none or they cannot be read.</summary>
    public IReadOnlyDictionary<string, KnownHash> Read(string folder)
    {
        string root = Path.GetFullPath(folder);
        try
        {
            return Decode(root, File.ReadAllBytes(CacheFileOf(root))) ?? Nothing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Nothing;
        }
    }

    /// <summary>Replaces the hashes kept for <paramref name="root"/> (a full path) with <paramref name="hashes"/>; a failure leaves the cache as it was.</summary>
    public void Write(string root, IReadOnlyCollection<KeyValuePair<string, KnownHash>> hashes)
    {
        string cacheFile = CacheFileOf(root);
        string temporary = $"{cacheFile}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(_directory);
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                Encode(root, hashes).WriteTo(file);
            }

            File.Move(temporary, cacheFile, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a cost: the next scan hashes again what this one could not keep.
            DeleteQuietly(temporary);
        }
    }

    /// <summary>Drops the hashes kept for <paramref name="folder"/>, so that its next scan reads every file; a failure is ignored.</summary>
    public void Forget(string folder) => DeleteQuietly(CacheFileOf(Path.GetFullPath(folder)));

    // Named by the folder's path, so each folder's scans replace only their own file.
    private string CacheFileOf(string root) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root))) + ".hashes");

    /// <summary>The tag, the folder, the count, per file its path, stamp and 32 hash bytes, then SHA-256 of all that.</summary>
    private static MemoryStream Encode(string root, IReadOnlyCollection<KeyValuePair<string, KnownHash>> hashes)
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatTag);
            writer.Write(root);
            writer.Write(hashes.Count);
            foreach (var (path, known) in hashes)
            {
                writer.Write(path);
                writer.Write(known.Stamp.Length);
                writer.Write(known.Stamp.LastWriteTicks);
                writer.Write(known.Stamp.CreationTicks);
                writer.Write(Convert.FromHexString(known.Sha256));
            }
        }

        buffer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        return buffer;
    }

    /// <summary>The hashes <paramref name="content"/> holds, or null when it is damaged, of another format, or of another folder.</summary>
    private static Dictionary<string, KnownHash>? Decode(string root, byte[] content)
    {
        int bodyLength = content.Length - SHA256.HashSizeInBytes;
        if (bodyLength < FormatTag.Length
            || !content.AsSpan().StartsWith(FormatTag)
            || !SHA256.HashData(content.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(content.AsSpan(bodyLength)))
        {
            return null;
        }

        using var reader = new BinaryReader(new MemoryStream(content, FormatTag.Length, bodyLength - FormatTag.Length), Encoding.UTF8);
        try
        {
            if (!string.Equals(reader.ReadString(), root, StringComparison.Ordinal))
            {
                return null;
            }

            int count = reader.ReadInt32();
            var hashes = new Dictionary<string, KnownHash>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string path = reader.ReadString();
                var stamp = new FileStamp(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
                byte[] sha256 = reader.ReadBytes(SHA256.HashSizeInBytes);
                if (sha256.Length != SHA256.HashSizeInBytes)
                {
                    return null;
                }

                hashes[path] = new KnownHash(stamp, Convert.ToHexStringLower(sha256));
            }

            return reader.BaseStream.Position == reader.BaseStream.Length ? hashes : null;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or IOException)
        {
            return null;
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left as it is: a temporary file nothing reads, or a cache file whose entries stay
            // (the scan that follows a failed Forget recalls them again).
        }
    }
}
