using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Sorts by a normalized key: a most-significant-digit radix sort of (prefix, position) pairs, then a
/// comparison sort of each run of equal prefixes by the full key.
/// </summary>
/// <remarks>
/// Rows do not move; the passes move 12-byte pairs. The first pass scatters the pairs by their top
/// 16 bits (8 for fewer than <see cref="WideDigitRows"/> rows), and each bucket is then sorted
/// alone: by insertion when it holds at most <see cref="InsertionRows"/> pairs, as nearly all do
/// when prefixes are spread out (a 64 MiB block of 100-byte records averages 10 a bucket), else by
/// its next 8 bits. So spread-out keys cost one scatter instead of one per 16 bits of prefix, and a
/// scatter to 65,536 places is the costly part. A digit that every pair of a bucket shares is
/// skipped without a scatter (narrow or clustered keys). Every step is stable, so equal prefixes
/// stay in input order, and the run sorts break key ties by position.
/// </remarks>
internal sealed class RadixBlockSorter<T, TKey, TOrder>(Func<T, TKey> keyOf, TOrder order) : BlockSorter<T, TKey>
    where TOrder : struct, IKeyOrder<TKey>
{
    private const int PrefixBits = sizeof(ulong) * 8;
    private const int WideDigitBits = 16;
    private const int NarrowDigitBits = 8;
    private const int WideDigitRows = 1 << 17;
    private const int InsertionRows = 32;

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

            SortByPrefix(pairs, second.AsSpan(0, n), PrefixBits);
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

    /// <summary>
    /// Sorts <paramref name="pairs"/>, whose prefixes agree above their low <paramref name="bits"/>
    /// bits, by prefix, stably; <paramref name="scratch"/> is as long and its contents are lost.
    /// </summary>
    private static void SortByPrefix(Span<PrefixedIndex> pairs, Span<PrefixedIndex> scratch, int bits)
    {
        // Digits every pair shares are passed over here, without a scatter.
        int[]? endsArray = null;
        try
        {
            while (pairs.Length > InsertionRows && bits > 0)
            {
                var digitBits = Math.Min(bits, pairs.Length >= WideDigitRows ? WideDigitBits : NarrowDigitBits);
                bits -= digitBits;
                endsArray ??= ArrayPool<int>.Shared.Rent(1 << digitBits);
                var ends = endsArray.AsSpan(0, 1 << digitBits);
                if (Scatter(pairs, scratch, bits, ends))
                {
                    var start = 0;
                    foreach (var end in ends)
                    {
                        if (end - start > 1)
                        {
                            SortByPrefix(pairs[start..end], scratch[start..end], bits);
                        }

                        start = end;
                    }

                    return;
                }
            }

            // Few pairs, or every prefix equal (then this finds them in order).
            InsertionSort(pairs);
        }
        finally
        {
            if (endsArray is not null)
            {
                ArrayPool<int>.Shared.Return(endsArray);
            }
        }
    }

    /// <summary>
    /// Moves the pairs into buckets by the digit at <paramref name="shift"/> (as many buckets as
    /// <paramref name="ends"/> is long), stably, leaving each bucket's end in <paramref name="ends"/>;
    /// false, with nothing moved, when every pair has the same digit.
    /// </summary>
    private static bool Scatter(Span<PrefixedIndex> pairs, Span<PrefixedIndex> scratch, int shift, Span<int> ends)
    {
        var mask = (ulong)(ends.Length - 1);
        ends.Clear();
        ref var slots = ref MemoryMarshal.GetReference(ends);
        foreach (ref readonly var pair in pairs)
        {
            Unsafe.Add(ref slots, (int)((pair.Prefix >> shift) & mask))++;
        }

        if (Unsafe.Add(ref slots, (int)((pairs[0].Prefix >> shift) & mask)) == pairs.Length)
        {
            return false;
        }

        // Counts become each digit's first slot, and each slot its bucket's end once its pairs are in.
        var next = 0;
        foreach (ref var slot in ends)
        {
            (slot, next) = (next, next + slot);
        }

        foreach (ref readonly var pair in pairs)
        {
            scratch[Unsafe.Add(ref slots, (int)((pair.Prefix >> shift) & mask))++] = pair;
        }

        scratch.CopyTo(pairs);
        return true;
    }

    /// <summary>Sorts a few pairs by prefix; a pair moves only past larger prefixes, so equal ones keep their order.</summary>
    private static void InsertionSort(Span<PrefixedIndex> pairs)
    {
        for (var i = 1; i < pairs.Length; i++)
        {
            var pair = pairs[i];
            var j = i - 1;
            while (j >= 0 && pairs[j].Prefix > pair.Prefix)
            {
                pairs[j + 1] = pairs[j];
                j--;
            }

            pairs[j + 1] = pair;
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
