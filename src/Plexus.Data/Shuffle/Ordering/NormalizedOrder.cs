namespace Plexus.Data.Shuffle;

/// <summary>The order of keys with a normalized prefix (or its reverse, whose prefix is the complement).</summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal readonly struct NormalizedOrder<TKey>(SortDirection direction) : IKeyOrder<TKey>
    where TKey : INormalizedKey<TKey>
{
    private readonly bool _descending = direction == SortDirection.Descending;

    public ulong PrefixOf(TKey key) => _descending ? ~key.NormalizedPrefix : key.NormalizedPrefix;

    public int Compare(TKey? x, TKey? y) => _descending ? y!.CompareTo(x!) : x!.CompareTo(y!);
}
