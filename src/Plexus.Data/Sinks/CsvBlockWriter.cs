using System.Globalization;
using CsvHelper;
using Plexus.Data.Files.Csv;

namespace Plexus.Data.Sinks;

/// <summary>
/// Writes rows as CSV with CsvHelper, culture invariant, with a header row naming the columns
/// (written even for a block with no rows, so every part is a CSV file on its own).
/// </summary>
internal sealed class CsvBlockWriter<T> : IBlockFileWriter<T>
{
    public const string Extension = "csv";

    private readonly Stream _stream;
    private readonly CsvWriter _csv;

    // The number of rows written so far.
    private long _rows;

    public CsvBlockWriter(Stream stream)
    {
        CsvBinding<T>.Ensure();
        _stream = stream;
        _csv = CsvWriter.Create(stream, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture, NewLine = "\n" }, leaveOpen: true);
        _csv.WriteHeader<T>();
    }

    public void Push(ReadOnlySpan<T> rows)
    {
        foreach (var row in rows)
        {
            _csv.WriteRecord(row);
        }

        _rows += rows.Length;
    }

    public async ValueTask<BlockWriteResult> CompleteAsync(CancellationToken cancellationToken)
    {
        await _csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _csv.DisposeAsync().ConfigureAwait(false);
        return new BlockWriteResult(_rows, _stream.Position);
    }
}
