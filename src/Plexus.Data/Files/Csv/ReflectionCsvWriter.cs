using CsvHelper;

namespace Plexus.Data.Files.Csv;

/// <summary>Writes rows with a <see cref="CsvRowShape{T}"/>, for row types without a generated writer.</summary>
internal sealed class ReflectionCsvWriter<T>(string columnPrefix) : CsvRecordWriter<T>(columnPrefix)
{
    private readonly CsvRowShape<T> _shape = CsvRowShape<T>.Instance;

    public override int FieldCount => _shape.WriteColumns.Count;

    public override void WriteHeader(CsvWriter writer)
    {
        foreach (var column in _shape.WriteColumns)
        {
            WriteColumnName(writer, column.Name);
        }
    }

    public override void Write(CsvWriter writer, T record) => _shape.Write(writer, record);
}
