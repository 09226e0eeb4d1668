using System.Linq.Expressions;
using System.Reflection;
using CsvHelper;

namespace Plexus.Data.Files.Csv;

/// <summary>
/// One column of a row type bound by reflection: its name (the property's), the member it is for
/// ("Trade.Price", for errors), and expressions that read it from a <see cref="CsvReader"/> field
/// and write it to a <see cref="CsvWriter"/> with the same calls CsvHelper's generated mappers make.
/// </summary>
internal sealed class CsvColumn
{
    private static readonly NullabilityInfoContext Nullability = new();

    private CsvColumn(string name, string member, Type type, bool nullableReference)
    {
        Name = name;
        Member = member;
        Type = type;
        NullableReference = nullableReference;
    }

    public string Name { get; }

    public string Member { get; }

    public Type Type { get; }

    // Whether a string column is declared string? (an empty field reads as null, not "").
    private bool NullableReference { get; }

    public static CsvColumn Of(PropertyInfo property, Type rowType) =>
        new(property.Name, $"{rowType.Name}.{property.Name}", property.PropertyType, Nullability.Create(property).ReadState == NullabilityState.Nullable);

    public static CsvColumn Of(ParameterInfo parameter, PropertyInfo property, Type rowType) =>
        new(property.Name, $"{rowType.Name}.{property.Name}", parameter.ParameterType, Nullability.Create(parameter).WriteState == NullabilityState.Nullable);

    /// <summary>An expression reading this column from field <paramref name="index"/> of the current record.</summary>
    /// <exception cref="NotSupportedException">CSV cannot hold the column's type.</exception>
    public Expression Read(Expression reader, Expression index)
    {
        var method = Type == typeof(string) ? (NullableReference ? nameof(CsvValues.ReadNullableString) : nameof(CsvValues.ReadString))
            : Nullable.GetUnderlyingType(Type) is { } inner ? (inner.IsEnum ? nameof(CsvValues.ReadNullableEnum) : nameof(CsvValues.ReadNullable))
            : Type.IsEnum ? nameof(CsvValues.ReadEnum)
            : nameof(CsvValues.Read);
        return Expression.Call(Helper(method, Nullable.GetUnderlyingType(Type) ?? Type), reader, index);
    }

    /// <summary>An expression writing <paramref name="value"/> (of this column's type) as the next field.</summary>
    /// <exception cref="NotSupportedException">CSV cannot hold the column's type.</exception>
    public Expression Write(Expression writer, Expression value)
    {
        var method = Type == typeof(string) ? nameof(CsvValues.WriteString)
            : Type == typeof(bool) ? nameof(CsvValues.WriteBoolean)
            : Nullable.GetUnderlyingType(Type) is { } inner ? (inner.IsEnum ? nameof(CsvValues.WriteNullableEnum) : nameof(CsvValues.WriteNullable))
            : Type.IsEnum ? nameof(CsvValues.WriteEnum)
            : nameof(CsvValues.Write);
        return Expression.Call(Helper(method, Nullable.GetUnderlyingType(Type) ?? Type), writer, value);
    }

    private MethodInfo Helper(string name, Type valueType)
    {
        var method = typeof(CsvValues).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
        if (!method.IsGenericMethodDefinition)
        {
            return method;
        }

        try
        {
            return method.MakeGenericMethod(valueType);
        }
        catch (ArgumentException e)
        {
            throw new NotSupportedException(
                $"{Member} is of type {Type.Name}, which a CSV field cannot hold: use a string, a number, a date, a bool, an enum or another type that parses from text (ISpanParsable) and formats to UTF-8 (IUtf8SpanFormattable), or mark the type [CsvRecord] with CsvHelper's source generator.",
                e);
        }
    }
}
