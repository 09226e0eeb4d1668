namespace Plexus.Protocol.Messages;

/// <summary>
/// Turns the names the compiler gives methods into names a user recognizes. Lambdas live in a
/// generated nested class (<c>Outer+&lt;&gt;c</c>) as <c>&lt;Declaring&gt;b__0_0</c>, local functions as
/// <c>&lt;Declaring&gt;g__Local|0_0</c>; top-level statements are <c>&lt;Main&gt;$</c>.
/// </summary>
internal static class FunctionNames
{
    public static string Readable(string type, string method) => $"{ReadableType(type)}.{ReadableMethod(method)}";

    // "Ns.Outer+Inner+<>c" → "Outer.Inner": no namespace, no generated classes.
    private static string ReadableType(string type)
    {
        var nested = type.Split('+').Where(part => !part.StartsWith('<')).ToArray();
        if (nested.Length == 0)
        {
            return type;
        }

        nested[0] = nested[0][(nested[0].LastIndexOf('.') + 1)..];
        return string.Join('.', nested);
    }

    private static string ReadableMethod(string method)
    {
        if (!method.StartsWith('<'))
        {
            return method;
        }

        // The declaring method's name sits between the first '<' and its matching '>'.
        var depth = 0;
        var end = -1;
        for (var i = 0; i < method.Length && end < 0; i++)
        {
            depth += method[i] switch { '<' => 1, '>' => -1, _ => 0 };
            end = depth == 0 ? i : -1;
        }

        if (end < 0)
        {
            return method;
        }

        var declaring = method[1..end].Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal).TrimEnd('$');
        var rest = method[(end + 1)..];
        if (rest.StartsWith("b__", StringComparison.Ordinal))
        {
            return $"{declaring} (lambda)";
        }

        if (rest.StartsWith("g__", StringComparison.Ordinal))
        {
            var local = rest[3..];
            var bar = local.IndexOf('|', StringComparison.Ordinal);
            return $"{declaring}.{(bar < 0 ? local : local[..bar])}";
        }

        return declaring;
    }
}
