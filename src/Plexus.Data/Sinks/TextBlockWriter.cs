using System.Text;

namespace Plexus.Data.Sinks;

/// <summary>
/// Writes rows as UTF-8 lines ending in '\n' (no byte-order mark): each row is given by the format
/// function, or by <see cref="object.ToString"/> when there is none. A string row is written as it is.
/// </summary>
internal sealed class TextBlockWriter<T> : IBlockFileWriter<T>
{
    public const string Extension = "txt";

    private readonly Stream _stream;
    private readonly StreamWriter _writer;
    private readonly Func<T, string?>? _format;

    // The number of rows written so far.
    private long _rows;

    public TextBlockWriter(Stream stream, Func<T, string?>? format = null)
    {
        _stream = stream;
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        _format = format;
    }

    public void Push(ReadOnlySpan<T> rows)
    {
        foreach (var row in rows)
        {
            _writer.WriteLine(_format is null ? row?.ToString() : _format(row));
        }

        _rows += rows.Length;
    }

    public async ValueTask<BlockWriteResult> CompleteAsync(CancellationToken cancellationToken)
    {
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        return new BlockWriteResult(_rows, _stream.Position);
    }
}
