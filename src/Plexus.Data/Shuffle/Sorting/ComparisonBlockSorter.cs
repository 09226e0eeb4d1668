using System.Buffers;
using System.Runtime.CompilerServices;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Sorts by key with an introsort over (key, position) pairs: for keys without a normalized prefix.
/// Positions break ties, so the unstable sort gives a stable result.
/// </summary>
internal sealed class ComparisonBlockSorter<T, TKey, TOrder>(Func<T, TKey> keyOf, TOrder order) : BlockSorter<T, TKey>
    where TOrder : struct, IKeyOrder<TKey>
{
    public override void Order(ReadOnlySpan<T> rows, Span<int> positions)
    {
        RequireOrderLength(rows.Length, positions.Length);
        var pairs = ArrayPool<KeyedIndex<TKey>>.Shared.Rent(rows.Length);
        try
        {
            var keyed = pairs.AsSpan(0, rows.Length);
            for (var i = 0; i < rows.Length; i++)
            {
                keyed[i] = new KeyedIndex<TKey>(keyOf(rows[i]), i);
            }

            keyed.Sort(new KeyedIndexComparer<TKey, TOrder>(order));
            for (var i = 0; i < keyed.Length; i++)
            {
                positions[i] = keyed[i].Index;
            }
        }
        finally
        {
            ArrayPool<KeyedIndex<TKey>>.Shared.Return(pairs, RuntimeHelpers.IsReferenceOrContainsReferences<TKey>());
        }
    }
}
