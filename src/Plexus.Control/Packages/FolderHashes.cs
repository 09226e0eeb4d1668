using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Plexus.Control.Packages;

/// <summary>
/// One scan's use of a <see cref="FileHashCache"/>: recalls the hashes of files unchanged since an
/// earlier scan, remembers the ones it hashes, and saves what it saw for the next scan.
/// </summary>
/// <remarks>Safe to call from the scan's parallel hashing.</remarks>
internal sealed class FolderHashes
{
    private readonly FileHashCache _cache;
    private readonly string _root;

    // What earlier scans found, by path relative to the folder; read only.
    private readonly IReadOnlyDictionary<string, KnownHash> _known;

    // A stamp is trusted only if the file was last written before this (UTC ticks): SettleTime
    // before the scan began.
    private readonly long _settledBefore;

    // What this scan saw and may trust, recalled or hashed: the cache the next scan reads.
    private readonly ConcurrentDictionary<string, KnownHash> _seen = new(StringComparer.Ordinal);

    // Whether a hash was remembered that the cache did not hold.
    private volatile bool _learned;

    internal FolderHashes(FileHashCache cache, string root, IReadOnlyDictionary<string, KnownHash> known, long settledBefore)
    {
        _cache = cache;
        _root = root;
        _known = known;
        _settledBefore = settledBefore;
    }

    /// <summary>The hash of the file at <paramref name="relativePath"/> if an earlier scan hashed it with this very stamp, long enough ago.</summary>
    public bool TryRecall(string relativePath, FileStamp stamp, [NotNullWhen(true)] out string? sha256)
    {
        if (IsSettled(stamp) && _known.TryGetValue(relativePath, out var known) && known.Stamp == stamp)
        {
            _seen[relativePath] = known;
            sha256 = known.Sha256;
            return true;
        }

        sha256 = null;
        return false;
    }

    /// <summary>Keeps the hash of a file this scan read, listed with <paramref name="stamp"/>, unless the stamp cannot vouch for it.</summary>
    public void Remember(string relativePath, FileStamp stamp, PackageFile hashed)
    {
        // A file hashed at another length than listed was written while it was read: its stamp
        // tells nothing of what was hashed.
        if (IsSettled(stamp) && hashed.Size == stamp.Length)
        {
            _seen[relativePath] = new KnownHash(stamp, hashed.Sha256);
            _learned = true;
        }
    }

    /// <summary>Writes what this scan saw, dropping files it did not see; skipped when that is what the cache holds already.</summary>
    public void Save()
    {
        // Unless something was learned, every entry seen was recalled from the cache: the same count is the same set.
        if (_learned || _seen.Count != _known.Count)
        {
            _cache.Write(_root, _seen);
        }
    }

    private bool IsSettled(FileStamp stamp) => stamp.LastWriteTicks < _settledBefore;
}
