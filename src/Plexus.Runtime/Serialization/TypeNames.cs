namespace Plexus.Serialization;

/// <summary>Types as a C# programmer writes them, for error messages: <c>List&lt;Order&gt;</c>, not <c>List`1</c>.</summary>
internal static class TypeNames
{
    public static string Readable(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Readable))}>"
        : type.Name;
}
