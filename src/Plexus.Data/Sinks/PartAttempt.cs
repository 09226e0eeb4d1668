namespace Plexus.Data.Sinks;

/// <summary>
/// One attempt at writing one block's file. The bytes go to a temporary name unique to the attempt;
/// <see cref="Complete"/> syncs them to disk and renames the file to the block's part name, so the
/// part is either absent or whole, and a retried block replaces its own file rather than adding one.
/// Disposing an attempt that did not complete deletes its temporary file.
/// </summary>
internal sealed class PartAttempt : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _temporaryPath;
    private readonly string _partPath;

    // Set once the file has its part name: nothing is left to delete.
    private bool _completed;

    internal PartAttempt(int block, string attemptDirectory, string partName)
    {
        Block = block;
        _partPath = Path.Combine(attemptDirectory, partName);
        _temporaryPath = Path.Combine(attemptDirectory, $"{partName}.{Guid.NewGuid():N}.tmp");
        try
        {
            // CreateNew in the run's directory, never creating it: an attempt that outlived its run
            // (aborted or committed, so the directory is gone) fails here instead of writing.
            _stream = new FileStream(_temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new IOException($"Cannot write block {block}: the run's directory {attemptDirectory} is gone, because the run was committed or aborted.", e);
        }
    }

    public int Block { get; }

    /// <summary>Where the block's writer writes; owned by the attempt.</summary>
    public Stream Stream => _stream;

    /// <summary>Syncs the file to disk and gives it the block's part name, replacing an earlier attempt's.</summary>
    /// <param name="written">What the block's writer reported; its bytes are replaced by the file's length.</param>
    /// <exception cref="IOException">The file could not be synced or renamed (for example, the run was aborted meanwhile).</exception>
    public WrittenPart Complete(BlockWriteResult written)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _stream.Flush(flushToDisk: true);
        var bytes = _stream.Length;
        _stream.Dispose();
        File.Move(_temporaryPath, _partPath, overwrite: true);
        _completed = true;
        return new WrittenPart(Block, Path.GetFileName(_partPath), written.Rows, bytes);
    }

    public void Dispose()
    {
        if (_completed)
        {
            return;
        }

        _stream.Dispose();
        _completed = true;
        try
        {
            File.Delete(_temporaryPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in _temporary, which the job's commit or abort deletes whole.
        }
    }
}
