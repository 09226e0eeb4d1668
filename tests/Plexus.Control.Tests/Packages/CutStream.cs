namespace Plexus.Control.Tests.Packages;

/// <summary>
/// Content that breaks after <paramref name="cutAfter"/> bytes: a read past that point throws, or
/// cancels <paramref name="cancel"/> and then fails as cancelled, as a dropped file or an impatient
/// caller would end an upload midway.
/// </summary>
internal sealed class CutStream(byte[] content, int cutAfter, CancellationTokenSource? cancel = null) : Stream
{
    private readonly MemoryStream _content = new(content, writable: false);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _content.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (_content.Position >= cutAfter)
        {
            if (cancel is not null)
            {
                cancel.Cancel();
                cancel.Token.ThrowIfCancellationRequested();
            }

            throw new IOException("the content was cut midway");
        }

        return _content.Read(buffer[..(int)Math.Min(buffer.Length, cutAfter - _content.Position)]);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _content.Dispose();
        }

        base.Dispose(disposing);
    }
}
