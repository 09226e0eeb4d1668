using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Plexus.Functions;

/// <summary>
/// Names, in the user's words, the variables a capturing lambda uses. Its closure object holds
/// every variable captured by any lambda of the same scope, plus compiler plumbing (links to outer
/// closures, cached delegates), so the closure's fields over-report. Instead this reads the
/// lambda's IL (and, for an async lambda, its state machine's) for the closure fields it loads.
/// </summary>
internal static class CapturedVariables
{
    // Opcodes by value, to step over operands while scanning IL.
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The variables the lambda <paramref name="method"/> reads or writes, "this" for the enclosing object.</summary>
    public static IReadOnlyList<string> UsedBy(MethodInfo method)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var body in BodiesOf(method))
        {
            foreach (var field in FieldsTouched(body))
            {
                if (field.DeclaringType?.IsDefined(typeof(CompilerGeneratedAttribute)) == true && UserName(field.Name) is { } name)
                {
                    names.Add(name);
                }
            }
        }

        return [.. names];
    }

    // "<>4__this" is the enclosing object; other names starting with '<' or "CS$" are compiler plumbing.
    private static string? UserName(string field) =>
        field.EndsWith("__this", StringComparison.Ordinal) ? "this"
        : field.StartsWith('<') || field.StartsWith("CS$", StringComparison.Ordinal) ? null
        : field;

    private static IEnumerable<MethodBase> BodiesOf(MethodInfo method)
    {
        yield return method;
        if (method.GetCustomAttribute<StateMachineAttribute>()?.StateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) is { } moveNext)
        {
            yield return moveNext;
        }
    }

    private static IEnumerable<FieldInfo> FieldsTouched(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var fields = new List<FieldInfo>();
        for (var at = 0; at < il.Length;)
        {
            short value = il[at++];
            if (value == 0xFE && at < il.Length)
            {
                value = unchecked((short)(0xFE00 | il[at++]));
            }

            if (!OpCodesByValue.TryGetValue(value, out var opCode))
            {
                break;
            }

            if (opCode.OperandType == OperandType.InlineField && at + 4 <= il.Length)
            {
                var token = BitConverter.ToInt32(il, at);
                if (TryResolveField(method, token) is { } field)
                {
                    fields.Add(field);
                }
            }

            at += OperandSize(opCode, il, at);
        }

        return fields;
    }

    private static FieldInfo? TryResolveField(MethodBase method, int token)
    {
        try
        {
            return method.Module.ResolveField(token, method.DeclaringType?.GetGenericArguments(), method.IsGenericMethod ? method.GetGenericArguments() : null);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static int OperandSize(OpCode opCode, byte[] il, int at) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => at + 4 <= il.Length ? 4 + (4 * BitConverter.ToInt32(il, at)) : il.Length,
        _ => 4,
    };
}
