using System.Collections;
using System.Linq.Expressions;
using System.Reflection;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Compiles, with expression trees, a writer of a type's canonical bytes: strings and numbers by
/// value, byte-stable structs by their bytes, records, classes and tuples field by field, and types
/// without a fixed shape (object, interfaces, abstract classes, collections) by their MessagePack bytes.
/// </summary>
/// <remarks>
/// A composite field is written by its own type's <see cref="KeyWriter{T}"/>, called rather than
/// inlined, so a type that holds itself (a linked node) builds without recursing. Fields are read
/// directly, private ones too (a record's backing fields), so no getter runs.
/// </remarks>
internal static class KeyWriterBuilder
{
    private static readonly MethodInfo WriteRaw = Method(nameof(CanonicalWriter.WriteRaw));

    public static Action<CanonicalWriter, T> Build<T>()
    {
        var writer = Expression.Parameter(typeof(CanonicalWriter), "writer");
        var value = Expression.Parameter(typeof(T), "value");
        var body = WriteValue(writer, value, typeof(T), isTopLevel: true);
        return Expression.Lambda<Action<CanonicalWriter, T>>(body, writer, value).Compile();
    }

    private static Expression WriteValue(Expression writer, Expression value, Type type, bool isTopLevel)
    {
        if (type == typeof(string))
        {
            return Expression.Call(writer, Method(nameof(CanonicalWriter.WriteString)), value);
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(Half) || type == typeof(decimal)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return Expression.Call(writer, Method("Write" + type.Name), value);
        }

        if (CanonicalLayout.IsRawHashable(type))
        {
            return Expression.Call(writer, WriteRaw.MakeGenericMethod(type), value);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Expression.IfThenElse(
                Expression.Property(value, nameof(Nullable<int>.HasValue)),
                Expression.Block(
                    WriteByte(writer, 1),
                    WriteValue(writer, Expression.Property(value, nameof(Nullable<int>.Value)), underlying, isTopLevel: false)),
                WriteByte(writer, 0));
        }

        if (HasNoFixedShape(type))
        {
            return Expression.Call(writer, Method(nameof(CanonicalWriter.WriteMessagePack)), Expression.Convert(value, typeof(object)));
        }

        if (!isTopLevel)
        {
            return Expression.Call(typeof(KeyWriter<>).MakeGenericType(type).GetMethod(nameof(KeyWriter<int>.WriteTo))!, writer, value);
        }

        var fields = CanonicalLayout.FieldsOf(type);
        var writes = new List<Expression>(fields.Count);
        foreach (var field in fields)
        {
            writes.Add(WriteValue(writer, Expression.Field(value, field), field.FieldType, isTopLevel: false));
        }

        Expression allFields = writes.Count == 0 ? Expression.Empty() : Expression.Block(writes);
        if (type.IsValueType)
        {
            return allFields;
        }

        var isPresent = Expression.Call(writer, Method(nameof(CanonicalWriter.WritePresence)), Expression.Convert(value, typeof(object)));
        return Expression.IfThen(isPresent, allFields);
    }

    private static bool HasNoFixedShape(Type type) =>
        type == typeof(object) || type.IsInterface || type.IsAbstract || type.IsArray || type.IsPointer
        || typeof(Delegate).IsAssignableFrom(type) || (!type.IsValueType && typeof(IEnumerable).IsAssignableFrom(type));

    private static Expression WriteByte(Expression writer, byte value) =>
        Expression.Call(writer, WriteRaw.MakeGenericMethod(typeof(byte)), Expression.Constant(value));

    private static MethodInfo Method(string name) => typeof(CanonicalWriter).GetMethod(name)!;
}
