using System.Runtime.CompilerServices;

namespace Plexus.Data.Shuffle;

/// <summary>A row's key and its position in the input, sorted together so that ties break by position.</summary>
internal struct KeyedIndex<TKey>(TKey key, int index)
{
    public TKey Key = key;
    public int Index = index;
}

/// <summary>Orders <see cref="KeyedIndex{TKey}"/> by key, then by position: a stable order from an unstable sort.</summary>
internal readonly struct KeyedIndexComparer<TKey, TOrder>(TOrder order) : IComparer<KeyedIndex<TKey>>
    where TOrder : struct, IKeyOrder<TKey>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Compare(KeyedIndex<TKey> x, KeyedIndex<TKey> y)
    {
        var byKey = order.Compare(x.Key, y.Key);
        return byKey != 0 ? byKey : x.Index.CompareTo(y.Index);
    }
}
