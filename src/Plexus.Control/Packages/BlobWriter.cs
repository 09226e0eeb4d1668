using System.Security.Cryptography;

namespace Plexus.Control.Packages;

/// <summary>
/// Receives one blob into a temporary file, hashing as it writes, and makes it visible under its
/// name only in <see cref="CommitAsync"/>, once complete and verified: a reader never sees part
/// of a blob, and disposing without a commit (a cut upload) deletes what was received.
/// </summary>
internal sealed class BlobWriter : IAsyncDisposable
{
    private readonly string _sha256;
    private readonly string _temporaryPath;
    private readonly string _finalPath;
    private readonly long _maxBytes;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    // Bytes received so far, checked against _maxBytes before each write.
    private long _length;

    // Set by CommitAsync once the file is renamed: from then on it is the store's, not ours to delete.
    private bool _committed;

    public BlobWriter(string sha256, string temporaryPath, string finalPath, long maxBytes)
    {
        _sha256 = sha256;
        _temporaryPath = temporaryPath;
        _finalPath = finalPath;
        _maxBytes = maxBytes;
        _file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
    }

    /// <exception cref="ArgumentException">The blob grew past the size limit.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _length += data.Length;
        if (_length > _maxBytes)
        {
            throw new ArgumentException($"data: blob {_sha256} is larger than {_maxBytes} bytes, the most a package may hold");
        }

        _hash.AppendData(data.Span);
        await _file.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the content against the blob's name and renames it into place.</summary>
    /// <exception cref="ArgumentException">The content's SHA-256 is not the blob's name.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        string actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (!string.Equals(actual, _sha256, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"data: the content received for blob {_sha256} ({_length} bytes) has SHA-256 {actual}: " +
                "the file changed while it was uploaded, or was damaged on the way. Upload it again.");
        }

        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);

        // On disk before the name is: after a crash, a blob under its name is a whole blob.
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync().ConfigureAwait(false);

        // Overwriting is safe: a blob already there has the same content, by its name.
        File.Move(_temporaryPath, _finalPath, overwrite: true);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        _hash.Dispose();
        if (!_committed)
        {
            File.Delete(_temporaryPath);
        }
    }
}
