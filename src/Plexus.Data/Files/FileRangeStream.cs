using Microsoft.Win32.SafeHandles;

namespace Plexus.Data.Files;

/// <summary>
/// A read-only stream of some bytes, then a byte range of a file: how a CSV split after the first
/// gives the parser the file's header line followed by the split's own lines, without copying them.
/// </summary>
internal sealed class FileRangeStream : Stream
{
    private readonly SafeFileHandle _file;
    private readonly ReadOnlyMemory<byte> _prefix;
    private readonly long _start;
    private readonly long _end;

    // The number of bytes of the stream read so far (prefix first, then the range).
    private long _position;

    /// <param name="file">The file, not owned: the caller disposes it after the stream.</param>
    /// <param name="prefix">Bytes given before the range.</param>
    /// <param name="start">The range's first byte in the file.</param>
    /// <param name="end">The range's end (exclusive) in the file.</param>
    public FileRangeStream(SafeFileHandle file, ReadOnlyMemory<byte> prefix, long start, long end)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        _file = file;
        _prefix = prefix;
        _start = start;
        _end = end;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _prefix.Length + (_end - _start);

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position < _prefix.Length)
        {
            var fromPrefix = (int)Math.Min(buffer.Length, _prefix.Length - _position);
            _prefix.Span.Slice((int)_position, fromPrefix).CopyTo(buffer);
            _position += fromPrefix;
            return fromPrefix;
        }

        var offsetInFile = _start + (_position - _prefix.Length);
        var wanted = (int)Math.Min(buffer.Length, _end - offsetInFile);
        if (wanted <= 0)
        {
            return 0;
        }

        var read = RandomAccess.Read(_file, buffer[..wanted], offsetInFile);
        _position += read;
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
