using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Sorts by a normalized key: an LSD radix sort of (prefix, position) pairs in four passes of 16-bit
/// digits, then a comparison sort of each run of equal prefixes by the full key.
/// </summary>
/// <remarks>
/// Rows do not move; the passes move 12-byte pairs. Being LSD, the radix passes are
/// stable, so equal prefixes stay in input order, and the run sorts break key ties by position. A
/// pass is skipped when all rows share its digit (narrow or clustered keys). Below
/// <see cref="RadixThreshold"/> rows, clearing the 1 MiB of digit counts costs more than it saves,
/// and the pairs are sorted by comparison.
/// </remarks>
internal sealed class RadixBlockSorter<T, TKey, TOrder>(Func<T, TKey> keyOf, TOrder order) : BlockSorter<T, TKey>
    where TOrder : struct, IKeyOrder<TKey>
{
    private const int DigitBits = 16;
    private const int Buckets = 1 << DigitBits;
    private const int Passes = sizeof(ulong) * 8 / DigitBits;
    private const int RadixThreshold = 4096;

    public override void Order(ReadOnlySpan<T> rows, Span<int> positions)
    {
        RequireOrderLength(rows.Length, positions.Length);
        var n = rows.Length;
        var first = ArrayPool<PrefixedIndex>.Shared.Rent(n);
        var second = ArrayPool<PrefixedIndex>.Shared.Rent(n);
        try
        {
            var pairs = first.AsSpan(0, n);
            for (var i = 0; i < n; i++)
            {
                pairs[i] = new PrefixedIndex(order.PrefixOf(keyOf(rows[i])), i);
            }

            if (n < RadixThreshold)
            {
                pairs.Sort(static (x, y) => x.Prefix != y.Prefix ? x.Prefix.CompareTo(y.Prefix) : x.Index.CompareTo(y.Index));
            }
            else
            {
                pairs = RadixSortByPrefix(pairs, second.AsSpan(0, n));
            }

            SortRunsOfEqualPrefix(rows, pairs);
            for (var i = 0; i < n; i++)
            {
                positions[i] = pairs[i].Index;
            }
        }
        finally
        {
            ArrayPool<PrefixedIndex>.Shared.Return(first);
            ArrayPool<PrefixedIndex>.Shared.Return(second);
        }
    }

    /// <summary>Sorts by prefix, ping-ponging between the two buffers; returns the one holding the result.</summary>
    private static Span<PrefixedIndex> RadixSortByPrefix(Span<PrefixedIndex> source, Span<PrefixedIndex> target)
    {
        var countsArray = ArrayPool<int>.Shared.Rent(Passes * Buckets);
        try
        {
            var counts = countsArray.AsSpan(0, Passes * Buckets);
            counts.Clear();
            foreach (ref readonly var pair in source)
            {
                var prefix = pair.Prefix;
                counts[(int)(prefix & 0xFFFF)]++;
                counts[Buckets + (int)((prefix >> 16) & 0xFFFF)]++;
                counts[(2 * Buckets) + (int)((prefix >> 32) & 0xFFFF)]++;
                counts[(3 * Buckets) + (int)(prefix >> 48)]++;
            }

            for (var pass = 0; pass < Passes; pass++)
            {
                var shift = pass * DigitBits;
                var digitCounts = counts.Slice(pass * Buckets, Buckets);
                if (digitCounts[(int)((source[0].Prefix >> shift) & 0xFFFF)] == source.Length)
                {
                    continue;
                }

                // Counts become each digit's first slot in the target.
                var next = 0;
                foreach (ref var count in digitCounts)
                {
                    (count, next) = (next, next + count);
                }

                ref var slots = ref MemoryMarshal.GetReference(digitCounts);
                foreach (ref readonly var pair in source)
                {
                    target[Unsafe.Add(ref slots, (int)((pair.Prefix >> shift) & 0xFFFF))++] = pair;
                }

                var swap = source;
                source = target;
                target = swap;
            }

            return source;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(countsArray);
        }
    }

    /// <summary>Orders each run of equal prefixes by the full key, then by position.</summary>
    private void SortRunsOfEqualPrefix(ReadOnlySpan<T> rows, Span<PrefixedIndex> pairs)
    {
        KeyedIndex<TKey>[]? keys = null;
        try
        {
            var start = 0;
            while (start < pairs.Length)
            {
                var end = start + 1;
                while (end < pairs.Length && pairs[end].Prefix == pairs[start].Prefix)
                {
                    end++;
                }

                if (end - start > 1)
                {
                    SortRun(rows, pairs[start..end], ref keys);
                }

                start = end;
            }
        }
        finally
        {
            if (keys is not null)
            {
                ArrayPool<KeyedIndex<TKey>>.Shared.Return(keys, RuntimeHelpers.IsReferenceOrContainsReferences<TKey>());
            }
        }
    }

    private void SortRun(ReadOnlySpan<T> rows, Span<PrefixedIndex> run, ref KeyedIndex<TKey>[]? keys)
    {
        if (keys is null || keys.Length < run.Length)
        {
            if (keys is not null)
            {
                ArrayPool<KeyedIndex<TKey>>.Shared.Return(keys, RuntimeHelpers.IsReferenceOrContainsReferences<TKey>());
            }

            keys = ArrayPool<KeyedIndex<TKey>>.Shared.Rent(run.Length);
        }

        var keyed = keys.AsSpan(0, run.Length);
        for (var i = 0; i < run.Length; i++)
        {
            keyed[i] = new KeyedIndex<TKey>(keyOf(rows[run[i].Index]), run[i].Index);
        }

        var comparer = new KeyedIndexComparer<TKey, TOrder>(order);
        if (IsOrdered(keyed, comparer))
        {
            // Common when the prefix holds the whole key, or one key fills the run: nothing to move.
            return;
        }

        keyed.Sort(comparer);
        for (var i = 0; i < run.Length; i++)
        {
            run[i].Index = keyed[i].Index;
        }
    }

    private static bool IsOrdered(ReadOnlySpan<KeyedIndex<TKey>> keyed, KeyedIndexComparer<TKey, TOrder> comparer)
    {
        for (var i = 1; i < keyed.Length; i++)
        {
            if (comparer.Compare(keyed[i - 1], keyed[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }
}
