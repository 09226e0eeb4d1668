using System.Linq.Expressions;
using System.Reflection;
using CsvHelper;

namespace Plexus.Data.Files.Csv;

/// <summary>
/// How rows of <typeparamref name="T"/> map to CSV columns when the type has no CsvHelper
/// source-generated mapper: the columns are named after public properties. A type with a public
/// parameterless constructor is read by setting its settable properties; otherwise by its public
/// constructor with the most parameters, each matched to a property by name (a positional record).
/// Written columns are the readable properties, in declaration order. The readers and writers are
/// compiled once per type.
/// </summary>
internal sealed class CsvRowShape<T>
{
    private static readonly Lazy<CsvRowShape<T>> Shape = new(() => new CsvRowShape<T>());

    private readonly Func<CsvReader, int[], T> _read;
    private readonly Func<CsvReader, int, object?>[] _probes;
    private readonly Action<CsvWriter, T> _write;

    private CsvRowShape()
    {
        var type = typeof(T);
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .ToArray();

        var reader = Expression.Parameter(typeof(CsvReader), "reader");
        var columns = Expression.Parameter(typeof(int[]), "columns");
        Expression Field(CsvColumn column, int i) => column.Read(reader, Expression.ArrayIndex(columns, Expression.Constant(i)));

        Expression create;
        if (type.GetConstructor(Type.EmptyTypes) is not null || type.IsValueType)
        {
            var settable = properties.Where(p => p.SetMethod is { IsPublic: true }).ToArray();
            ReadColumns = [.. settable.Select(p => CsvColumn.Of(p, type))];
            create = Expression.MemberInit(Expression.New(type), settable.Select((p, i) => Expression.Bind(p, Field(ReadColumns[i], i))));
        }
        else
        {
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
                ?? throw new NotSupportedException($"{type.Name} has no public constructor, so CSV rows cannot create it.");
            ReadColumns = [.. constructor.GetParameters().Select(parameter => CsvColumn.Of(parameter, PropertyFor(parameter, properties, type), type))];
            create = Expression.New(constructor, ReadColumns.Select(Field));
        }

        _read = Expression.Lambda<Func<CsvReader, int[], T>>(create, reader, columns).Compile();
        var index = Expression.Parameter(typeof(int), "index");
        _probes = [.. ReadColumns.Select(c => Expression.Lambda<Func<CsvReader, int, object?>>(Expression.Convert(c.Read(reader, index), typeof(object)), reader, index).Compile())];

        var writer = Expression.Parameter(typeof(CsvWriter), "writer");
        var row = Expression.Parameter(type, "row");
        var readable = properties.Where(p => p.GetMethod is { IsPublic: true }).ToArray();
        WriteColumns = [.. readable.Select(p => CsvColumn.Of(p, type))];
        Expression writes = readable.Length == 0
            ? Expression.Empty()
            : Expression.Block(readable.Select((p, i) => WriteColumns[i].Write(writer, Expression.Property(row, p))));
        _write = Expression.Lambda<Action<CsvWriter, T>>(writes, writer, row).Compile();
    }

    /// <exception cref="NotSupportedException">A member's type cannot be a CSV field, or the type cannot be created; the message names it.</exception>
    public static CsvRowShape<T> Instance => Shape.Value;

    /// <summary>The columns a row is read from, in the order of <see cref="Read"/>'s column indexes.</summary>
    public IReadOnlyList<CsvColumn> ReadColumns { get; }

    /// <summary>The columns a row is written as, in order.</summary>
    public IReadOnlyList<CsvColumn> WriteColumns { get; }

    /// <summary>Reads the current record; <paramref name="columns"/> holds each read column's field index.</summary>
    public T Read(CsvReader reader, int[] columns) => _read(reader, columns);

    /// <summary>Reads one column of the current record alone: how a failed read finds the field at fault.</summary>
    public object? ReadColumn(CsvReader reader, int column, int index) => _probes[column](reader, index);

    public void Write(CsvWriter writer, T row) => _write(writer, row);

    private static PropertyInfo PropertyFor(ParameterInfo parameter, PropertyInfo[] properties, Type type) =>
        properties.FirstOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
        ?? throw new NotSupportedException($"The constructor parameter '{parameter.Name}' of {type.Name} has no property of the same name, so CSV cannot name its column.");
}
