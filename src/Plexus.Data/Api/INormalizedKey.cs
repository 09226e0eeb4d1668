namespace Plexus.Data;

/// <summary>
/// A sort key with an order-preserving 8-byte prefix, which lets sorts and merges compare most
/// rows with one unsigned integer compare and sort blocks by radix.
/// </summary>
/// <typeparam name="TSelf">The key type itself.</typeparam>
/// <remarks>
/// The prefix must agree with <see cref="IComparable{T}.CompareTo"/>: when
/// <c>a.NormalizedPrefix &lt; b.NormalizedPrefix</c>, then <c>a.CompareTo(b) &lt; 0</c>. Equal
/// prefixes say nothing, and the full comparison decides. For a byte-string key, the first eight
/// bytes read big-endian are such a prefix.
/// </remarks>
public interface INormalizedKey<TSelf> : IComparable<TSelf>
    where TSelf : INormalizedKey<TSelf>
{
    /// <summary>The key's first 8 bytes of order, as an unsigned integer.</summary>
    ulong NormalizedPrefix { get; }
}
