namespace Plexus.Data.Shuffle;

/// <summary>The default comparer's order (or its reverse), for keys without a normalized prefix.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal readonly struct ComparerOrder<TKey>(SortDirection direction) : IKeyOrder<TKey>
{
    private readonly bool _descending = direction == SortDirection.Descending;

    public ulong PrefixOf(TKey key) => 0;

    // Swapping the arguments, rather than negating, is safe for a CompareTo that returns int.MinValue.
    public int Compare(TKey? x, TKey? y) =>
        _descending ? Comparer<TKey>.Default.Compare(y, x) : Comparer<TKey>.Default.Compare(x, y);
}
