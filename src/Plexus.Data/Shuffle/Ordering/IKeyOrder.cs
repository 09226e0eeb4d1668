namespace Plexus.Data.Shuffle;

/// <summary>
/// An order over keys with an optional 8-byte prefix: sorts and merges compare prefixes first and
/// call <see cref="IComparer{T}.Compare"/> only when prefixes are equal. Implemented by structs, so
/// generic kernels get the comparisons inlined.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal interface IKeyOrder<TKey> : IComparer<TKey>
{
    /// <summary>
    /// An unsigned prefix that agrees with the order: a smaller prefix means an earlier key; equal
    /// prefixes say nothing (an order without prefixes gives zero for every key).
    /// </summary>
    ulong PrefixOf(TKey key);
}
