using System.Reflection;
using Plexus.Serialization;

namespace Plexus.Functions;

/// <summary>
/// What a function's future holds: the value it returns (awaited for <see cref="Task{TResult}"/>
/// and <see cref="ValueTask{TResult}"/>), or <see cref="Done"/> when it returns nothing
/// (<c>void</c>, <see cref="Task"/>, <see cref="ValueTask"/>). Workers store the result by the
/// method's own type, so the caller's declared type must be that type.
/// </summary>
internal static class ResultShape
{
    /// <summary>True for <c>void</c>, <see cref="Task"/> and <see cref="ValueTask"/>.</summary>
    public static bool ReturnsNothing(Type returnType) =>
        returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when a future of <paramref name="declared"/> could not
    /// hold what <paramref name="method"/> produces: a method returning nothing declared with a
    /// result type, or a method with a result declared as returning nothing.
    /// </summary>
    public static void ThrowIfMismatched(MethodInfo method, Type declared)
    {
        var returnsNothing = ReturnsNothing(method.ReturnType);
        if (returnsNothing && declared != typeof(Done))
        {
            throw new ArgumentException(
                $"{method.DeclaringType?.Name}.{method.Name} returns {TypeNames.Readable(method.ReturnType)}, which has no result, but the call declares {TypeNames.Readable(declared)}: " +
                "leave the result type out of the type arguments; the future is an ObjectRef<Done> that completes when the work has run.");
        }

        if (!returnsNothing && declared == typeof(Done))
        {
            throw new ArgumentException(
                $"{method.DeclaringType?.Name}.{method.Name} returns {TypeNames.Readable(method.ReturnType)}: name its result type in the type arguments to get its value.");
        }
    }
}
