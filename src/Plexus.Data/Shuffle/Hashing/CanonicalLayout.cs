using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Decides which types may be hashed by their in-memory bytes, and lists the fields of the others
/// in an order that is the same in every process.
/// </summary>
internal static class CanonicalLayout
{
    private const BindingFlags InstanceFields =
        BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    // Answers per type, since nested structs ask again for every field.
    private static readonly ConcurrentDictionary<Type, bool> RawHashable = new();

    /// <summary>
    /// True when equal values of the type always have equal bytes: integers, chars, bools, enums,
    /// and structs made only of those with no padding (padding bytes are not guaranteed to be zero)
    /// and no overlapping fields. Floating-point, decimal and date fields are excluded, because equal
    /// values can differ in bits (-0.0 and 0.0; 1.0m and 1.00m; a DateTime's Kind, a DateTimeOffset's offset).
    /// </summary>
    public static bool IsRawHashable(Type type) => RawHashable.GetOrAdd(type, ComputeRawHashable);

    /// <summary>
    /// The instance fields of a type, base class first, each class's in declaration (metadata) order:
    /// for records, classes and tuples these are the values their default equality compares.
    /// </summary>
    public static IReadOnlyList<FieldInfo> FieldsOf(Type type)
    {
        var chain = new Stack<Type>();
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            chain.Push(t);
        }

        var fields = new List<FieldInfo>();
        foreach (var t in chain)
        {
            var declared = t.GetFields(InstanceFields);
            Array.Sort(declared, static (a, b) => a.MetadataToken.CompareTo(b.MetadataToken));
            fields.AddRange(declared);
        }

        return fields;
    }

    private static bool ComputeRawHashable(Type type)
    {
        if (type.IsEnum)
        {
            return true;
        }

        if (type.IsPrimitive)
        {
            return type != typeof(double) && type != typeof(float);
        }

        if (!type.IsValueType || type == typeof(decimal) || type == typeof(Half) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type.IsGenericTypeDefinition
            || type.StructLayoutAttribute?.Value == LayoutKind.Explicit || Nullable.GetUnderlyingType(type) is not null
            || ContainsReferences(type))
        {
            return false;
        }

        var fieldBytes = 0;
        foreach (var field in FieldsOf(type))
        {
            if (!IsRawHashable(field.FieldType))
            {
                return false;
            }

            fieldBytes += RuntimeHelpers.SizeOf(field.FieldType.TypeHandle);
        }

        return fieldBytes == RuntimeHelpers.SizeOf(type.TypeHandle);
    }

    private static bool ContainsReferences(Type type) =>
        (bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!
            .MakeGenericMethod(type).Invoke(null, null)!;
}
