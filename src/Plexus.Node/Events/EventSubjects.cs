using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// One object per function and per task name for the event ring to hold (see
/// <see cref="TaskEvent.Subject"/>). A task or call that came from another process (a worker's
/// task submitting tasks, an actor calling an actor) was read from its message with a descriptor
/// and name of its own: held by the ring until the next report, about a second, every such task's
/// descriptor (with its three strings) outlived the runtime's young collections, was copied into
/// the older generations and died there. Shared ones live as long as the node and cost no copying.
/// </summary>
/// <remarks>
/// Bounded: a node that sees more than <see cref="MaxShared"/> distinct functions or names (names
/// made per task, say) keeps the first ones, and its events hold the message's own objects for
/// the rest, as they did before. Not thread-safe: the recorder's caller holds the node's lock.
/// </remarks>
internal sealed class EventSubjects
{
    /// <summary>The most functions, and the most names, shared.</summary>
    public const int MaxShared = 1024;

    private readonly Dictionary<FunctionDescriptor, FunctionDescriptor> _functions = new(CheapDescriptorComparer.Instance);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>The descriptor equal to <paramref name="function"/> seen first; <paramref name="function"/> itself when first, or when the table is full.</summary>
    public FunctionDescriptor Share(FunctionDescriptor function) => Share(_functions, function);

    /// <summary>The name equal to <paramref name="name"/> seen first; <paramref name="name"/> itself when first, or when the table is full.</summary>
    public string Share(string name) => Share(_names, name);

    private static T Share<T>(Dictionary<T, T> shared, T value)
        where T : notnull
    {
        if (shared.TryGetValue(value, out var first))
        {
            return first;
        }

        if (shared.Count < MaxShared)
        {
            shared.Add(value, value);
        }

        return value;
    }

    /// <summary>
    /// Equality by value, as the descriptor's own; the hash from its token and the lengths of its
    /// names, not their characters: a node runs few functions, which rarely collide, and a lookup
    /// per event must cost less than hashing three strings would.
    /// </summary>
    private sealed class CheapDescriptorComparer : IEqualityComparer<FunctionDescriptor>
    {
        public static readonly CheapDescriptorComparer Instance = new();

        public bool Equals(FunctionDescriptor? x, FunctionDescriptor? y) => ReferenceEquals(x, y) || (x is not null && x.Equals(y));

        public int GetHashCode(FunctionDescriptor d) => HashCode.Combine(d.MetadataToken, d.Method.Length, d.Type.Length, d.Assembly.Length, d.TypeArguments?.Length);
    }
}
