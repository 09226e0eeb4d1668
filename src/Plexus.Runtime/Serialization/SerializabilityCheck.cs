using System.Collections.Concurrent;
using System.Reflection;
using MessagePack;

namespace Plexus.Serialization;

/// <summary>
/// Finds, before anything is sent, values that cannot travel between processes (delegates,
/// handles, streams, threads, tasks, pointers) or that the receiver could not rebuild (no
/// constructor the serializer can call) anywhere in a type's serialized members, and names the
/// member at fault. Results are cached per type.
/// </summary>
internal static class SerializabilityCheck
{
    private static readonly ConcurrentDictionary<Type, string?> Problems = new();

    private static readonly MethodInfo BuildFormatterMethod =
        typeof(SerializabilityCheck).GetMethod(nameof(BuildFormatter), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly Type[] ForbiddenBases =
    [
        typeof(Delegate), typeof(Stream), typeof(Thread), typeof(Task), typeof(WaitHandle),
        typeof(System.Runtime.InteropServices.SafeHandle), typeof(MemberInfo), typeof(System.Net.Sockets.Socket),
    ];

    /// <summary>Throws <see cref="ValueSerializationException"/> when <paramref name="type"/> cannot be serialized.</summary>
    public static void ThrowIfUnserializable(Type type)
    {
        if (Problems.GetOrAdd(type, static t => Find(t, [])) is { } problem)
        {
            throw new ValueSerializationException($"A value of type {type.FullName} cannot be serialized: {problem}.");
        }
    }

    private static string? Find(Type type, HashSet<Type> visiting)
    {
        if (Forbidden(type) is { } reason)
        {
            return $"{TypeNames.Readable(type)} {reason}";
        }

        // A remote function travels as its name (RemoteFunctionFormatter), not as the delegate it holds.
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || IsRemoteFunction(type) || !visiting.Add(type))
        {
            return null;
        }

        if (type.IsArray)
        {
            return Find(type.GetElementType()!, visiting);
        }

        if (type.IsGenericType && type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
        {
            // Collections, tuples, nullables and the like: what matters is what they hold.
            foreach (var argument in type.GetGenericArguments())
            {
                if (Find(argument, visiting) is { } inner)
                {
                    return inner;
                }
            }

            return null;
        }

        if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true || type.IsGenericTypeDefinition)
        {
            return null;
        }

        if (BuildProblem(type) is { } unbuildable)
        {
            return unbuildable;
        }

        const BindingFlags members = BindingFlags.Public | BindingFlags.Instance;
        foreach (var field in type.GetFields(members))
        {
            if (Find(field.FieldType, visiting) is { } problem)
            {
                return $"member {TypeNames.Readable(type)}.{field.Name} ({TypeNames.Readable(field.FieldType)}): {problem}";
            }
        }

        foreach (var property in type.GetProperties(members))
        {
            if (property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0
                && Find(property.PropertyType, visiting) is { } problem)
            {
                return $"member {TypeNames.Readable(type)}.{property.Name} ({TypeNames.Readable(property.PropertyType)}): {problem}";
            }
        }

        return null;
    }

    // The serializer builds a type's formatter on first use and refuses there a type it could not
    // rebuild; asking for it now turns that into an error at submission that says what to do.
    private static string? BuildProblem(Type type)
    {
        try
        {
            BuildFormatterMethod.MakeGenericMethod(type).Invoke(null, null);
            return null;
        }
        catch (TargetInvocationException e)
        {
            var cause = e.GetBaseException();
            return $"{TypeNames.Readable(type)} cannot be rebuilt by the receiver ({cause.Message}): give it a parameterless constructor, or a constructor " +
                "whose parameters are named like its properties or fields (either may be private)";
        }
    }

    private static bool IsRemoteFunction(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(RemoteFunction<>);

    private static void BuildFormatter<T>() => ValueCodec.Options.Resolver.GetFormatterWithVerify<T>();

    private static string? Forbidden(Type type)
    {
        if (type.IsPointer || type == typeof(IntPtr) || type == typeof(UIntPtr))
        {
            return "is a pointer, which means nothing in another process";
        }

        if (type.IsByRefLike)
        {
            return "is a ref struct, which cannot be stored";
        }

        foreach (var forbidden in ForbiddenBases)
        {
            if (forbidden.IsAssignableFrom(type))
            {
                return $"is a {forbidden.Name}, which is bound to this process";
            }
        }

        return null;
    }
}
