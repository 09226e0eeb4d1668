using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MessagePack;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// Carries a task's exception to its awaiters with its own fields, so one that can load the
/// exception's type gets it back (as <see cref="TaskFailedException"/>'s inner exception) and can
/// catch it by type. The state is the type's assembly-qualified name and the instance fields that
/// the type and its bases below <see cref="Exception"/> declare, written typelessly; the message
/// and the remote stack come from the <see cref="ErrorInfo"/>. Only fields of plain data types
/// (primitives, strings, enums, decimals, dates, times, GUIDs, and arrays of these) travel: an
/// arbitrary object graph could be cyclic, which the serializer follows until the stack
/// overflows and the worker dies, or could run code in its getters. Other fields arrive unset. A
/// type the awaiter cannot load leaves only the strings, as before.
/// </summary>
internal static class RemoteExceptions
{
    private const BindingFlags DeclaredFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    // Exception's own field for its message (rebuilt objects skip every constructor).
    private static readonly FieldInfo? MessageField = typeof(Exception).GetField("_message", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The exception's state, or null when some field cannot be serialized.</summary>
    public static byte[]? Capture(Exception exception)
    {
        var type = exception.GetType();
        var fields = new Dictionary<string, object?>();
        foreach (var (declaring, field) in OwnFields(type))
        {
            if (IsPlainData(field.FieldType))
            {
                fields[$"{declaring.FullName}.{field.Name}"] = field.GetValue(exception);
            }
        }

        return Serialize(type, fields);
    }

    /// <summary>The exception rebuilt from <paramref name="error"/>'s state, or null when it cannot be.</summary>
    public static Exception? Rebuild(ErrorInfo error)
    {
        if (error.ExceptionState is not { } state || MessageField is null)
        {
            return null;
        }

        try
        {
            if (MessagePackSerializer.Typeless.Deserialize(state) is not object[] { Length: 2 } parts
                || parts[0] is not string typeName || parts[1] is not Dictionary<string, object?> fields
                || Type.GetType(typeName, throwOnError: false) is not { } type || !typeof(Exception).IsAssignableFrom(type) || type.IsAbstract)
            {
                return null;
            }

            var exception = (Exception)RuntimeHelpers.GetUninitializedObject(type);
            MessageField.SetValue(exception, error.Message);
            foreach (var (declaring, field) in OwnFields(type))
            {
                if (fields.TryGetValue($"{declaring.FullName}.{field.Name}", out var value))
                {
                    field.SetValue(exception, value);
                }
            }

            return ExceptionDispatchInfo.SetRemoteStackTrace(exception, error.StackTrace);
        }
        catch (Exception e) when (e is MessagePackSerializationException or ArgumentException or TargetException or FieldAccessException
            or InvalidCastException or NotSupportedException or FileLoadException or BadImageFormatException or TypeLoadException)
        {
            return null;
        }
    }

    private static byte[]? Serialize(Type type, Dictionary<string, object?> fields)
    {
        try
        {
            return MessagePackSerializer.Typeless.Serialize(new object[] { type.AssemblyQualifiedName!, fields });
        }
        catch (Exception e) when (e is MessagePackSerializationException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsPlainData(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
        {
            return type.GetArrayRank() == 1 && IsPlainData(type.GetElementType()!);
        }

        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);
    }

    private static IEnumerable<(Type Declaring, FieldInfo Field)> OwnFields(Type type)
    {
        for (var t = type; t is not null && t != typeof(Exception); t = t.BaseType)
        {
            foreach (var field in t.GetFields(DeclaredFields))
            {
                yield return (t, field);
            }
        }
    }
}
