using System.Diagnostics.CodeAnalysis;

namespace Plexus.Data.Shuffle;

/// <summary>Throws for the combiners, out of their hot loops.</summary>
internal static class CombinerArguments
{
    [DoesNotReturn]
    public static void ThrowNullKey() =>
        throw new ArgumentException("A group-by key was null. Grouping keys must not be null: map null to a value of its own (say, an empty string or a sentinel) before grouping.", "rows");
}
