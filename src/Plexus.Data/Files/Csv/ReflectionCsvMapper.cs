using CsvHelper;

namespace Plexus.Data.Files.Csv;

/// <summary>Reads rows with a <see cref="CsvRowShape{T}"/>, for row types without a generated mapper.</summary>
internal sealed class ReflectionCsvMapper<T> : CsvRecordMapper<T>
{
    private readonly CsvRowShape<T> _shape = CsvRowShape<T>.Instance;

    // The field index in the current file of each of the shape's read columns.
    private readonly int[] _columns;

    public ReflectionCsvMapper(CsvReader reader, string columnPrefix)
        : base(columnPrefix)
    {
        // With a header, columns are found by name; without one, the i-th column is the i-th field.
        var byPosition = !reader.Options.HasHeader;
        _columns = new int[_shape.ReadColumns.Count];
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _shape.ReadColumns[i];
            _columns[i] = Column(reader, column.Name, byPosition ? i : -1, false, column.Member);
        }

        ThrowIfColumnsMissing(reader);
    }

    public override T Read(CsvReader reader) => _shape.Read(reader, _columns);

    public override string? FindFailingMember(CsvReader reader, out int fieldIndex)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            fieldIndex = _columns[i];
            try
            {
                _ = _shape.ReadColumn(reader, i, fieldIndex);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                return _shape.ReadColumns[i].Member;
            }
        }

        fieldIndex = -1;
        return null;
    }
}
