using Parquet;
using Parquet.Serialization;

namespace Plexus.Data.Sinks;

/// <summary>
/// Writes a block's rows as a Parquet file of one row group, with Parquet.Net's serializer (public
/// properties are columns). The rows are kept until <see cref="CompleteAsync"/>, because a row group
/// is written whole; a block is sized to fit in memory.
/// </summary>
internal sealed class ParquetBlockWriter<T> : IBlockFileWriter<T>
{
    public const string Extension = "parquet";

    private readonly Stream _stream;
    private readonly List<T> _rows = [];

    public ParquetBlockWriter(Stream stream) => _stream = stream;

    public void Push(ReadOnlySpan<T> rows) => _rows.AddRange(rows);

    public async ValueTask<BlockWriteResult> CompleteAsync(CancellationToken cancellationToken)
    {
        var options = new ParquetOptions { RowGroupSize = Math.Max(1, _rows.Count) };
        await ParquetSerializer.SerializeAsync(_rows, _stream, options, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new BlockWriteResult(_rows.Count, _stream.Position);
    }
}
