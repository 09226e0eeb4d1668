using System.Runtime.InteropServices;

namespace Plexus.Data.Sinks;

/// <summary>
/// Writes rows of an unmanaged type as their raw bytes, back to back (the machine's byte order, no
/// header): the file <see cref="Sources.RecordReader"/> reads, zero-copy.
/// </summary>
internal sealed class RecordBlockWriter<T> : IBlockFileWriter<T>
    where T : unmanaged
{
    public const string Extension = "bin";

    private readonly Stream _stream;

    // The number of rows written so far.
    private long _rows;

    public RecordBlockWriter(Stream stream) => _stream = stream;

    public void Push(ReadOnlySpan<T> rows)
    {
        _stream.Write(MemoryMarshal.AsBytes(rows));
        _rows += rows.Length;
    }

    public ValueTask<BlockWriteResult> CompleteAsync(CancellationToken cancellationToken)
    {
        _stream.Flush();
        return ValueTask.FromResult(new BlockWriteResult(_rows, _stream.Position));
    }
}
