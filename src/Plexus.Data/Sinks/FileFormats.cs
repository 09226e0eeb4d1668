namespace Plexus.Data.Sinks;

/// <summary>What a write makes of one block's rows: a file writer, and the files' extension.</summary>
internal abstract class FileFormat<T>
{
    public abstract string Extension { get; }

    public abstract IBlockFileWriter<T> Open(Stream stream);
}

internal sealed class TextFormat<T> : FileFormat<T>
{
    /// <summary>Formats each row as its line; null uses the row's <c>ToString()</c>.</summary>
    public RemoteFunction<Func<T, string?>>? Format { get; init; }

    public override string Extension => "txt";

    public override IBlockFileWriter<T> Open(Stream stream) => new TextBlockWriter<T>(stream, Format?.Function);
}

internal sealed class CsvFormat<T> : FileFormat<T>
{
    public override string Extension => "csv";

    public override IBlockFileWriter<T> Open(Stream stream) => new CsvBlockWriter<T>(stream);
}

internal sealed class ParquetFormat<T> : FileFormat<T>
    where T : class, new()
{
    public override string Extension => "parquet";

    public override IBlockFileWriter<T> Open(Stream stream) => new ParquetBlockWriter<T>(stream);
}

internal sealed class RecordFormat<T> : FileFormat<T>
    where T : unmanaged
{
    public override string Extension => "bin";

    public override IBlockFileWriter<T> Open(Stream stream) => new RecordBlockWriter<T>(stream);
}
