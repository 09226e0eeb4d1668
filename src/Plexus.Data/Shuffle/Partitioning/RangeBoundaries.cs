using System.Diagnostics.CodeAnalysis;

namespace Plexus.Data.Shuffle;

/// <summary>
/// The R−1 boundaries of a range partitioning, in sort order: partition r holds the (key, tiebreak)
/// pairs from boundary r−1 (inclusive) to boundary r (exclusive).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class RangeBoundaries<TKey>
{
    private readonly SampledKey<TKey>[] _boundaries;
    private readonly ComparerOrder<TKey> _order;

    /// <summary>Takes boundaries already in <paramref name="direction"/>'s order, as <see cref="Pick"/> gives them.</summary>
    /// <exception cref="ArgumentException">The boundaries are out of order.</exception>
    public RangeBoundaries(SampledKey<TKey>[] boundaries, SortDirection direction)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        _boundaries = boundaries;
        _order = new ComparerOrder<TKey>(direction);
        for (var i = 1; i < boundaries.Length; i++)
        {
            if (Compare(boundaries[i - 1], boundaries[i]) > 0)
            {
                ThrowOutOfOrder(i);
            }
        }
    }

    /// <summary>R: one more than the boundaries.</summary>
    public int PartitionCount => _boundaries.Length + 1;

    public ReadOnlySpan<SampledKey<TKey>> Boundaries => _boundaries;

    /// <summary>
    /// Picks R−1 quantiles of the samples in (key, tiebreak) order. With fewer samples than
    /// partitions some partitions are empty; with none, every row goes to partition 0.
    /// </summary>
    public static RangeBoundaries<TKey> Pick(ReadOnlySpan<SampledKey<TKey>> samples, int partitionCount, SortDirection direction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        if (samples.IsEmpty)
        {
            return new RangeBoundaries<TKey>([], direction);
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted, new SampleComparer(new ComparerOrder<TKey>(direction)));
        var boundaries = new SampledKey<TKey>[partitionCount - 1];
        for (var r = 1; r < partitionCount; r++)
        {
            boundaries[r - 1] = sorted[(int)((long)r * sorted.Length / partitionCount)];
        }

        return new RangeBoundaries<TKey>(boundaries, direction);
    }

    /// <summary>The partition of a row: how many boundaries are at or before its (key, tiebreak).</summary>
    public int PartitionOf(TKey key, ulong tiebreak)
    {
        var row = new SampledKey<TKey>(key, tiebreak);
        int low = 0, high = _boundaries.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (Compare(_boundaries[middle], row) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// The partition of a row from its key alone, when no boundary has that key: then the tiebreak
    /// cannot matter, and the caller need not compute it. Otherwise false, and the caller asks
    /// <see cref="PartitionOf"/> with the row's tiebreak.
    /// </summary>
    public bool TryPartitionByKey(TKey key, out int partition)
    {
        // The first boundary whose key is not before the row's: boundaries before it are all before the row.
        int low = 0, high = _boundaries.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (_order.Compare(_boundaries[middle].Key, key) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        partition = low;
        return low == _boundaries.Length || _order.Compare(_boundaries[low].Key, key) != 0;
    }

    /// <summary>Compares two keys in the partitioning's direction: negative when <paramref name="a"/> comes first.</summary>
    public int CompareKeys(TKey a, TKey b) => _order.Compare(a, b);

    private int Compare(in SampledKey<TKey> a, in SampledKey<TKey> b)
    {
        var byKey = _order.Compare(a.Key, b.Key);
        return byKey != 0 ? byKey : a.Tiebreak.CompareTo(b.Tiebreak);
    }

    [DoesNotReturn]
    private static void ThrowOutOfOrder(int index) =>
        throw new ArgumentException($"Range boundary {index} comes before boundary {index - 1}; pass boundaries sorted in the partitioning's direction, as RangeBoundaries.Pick returns them.", "boundaries");

    private sealed class SampleComparer(ComparerOrder<TKey> order) : IComparer<SampledKey<TKey>>
    {
        public int Compare(SampledKey<TKey> a, SampledKey<TKey> b)
        {
            var byKey = order.Compare(a.Key, b.Key);
            return byKey != 0 ? byKey : a.Tiebreak.CompareTo(b.Tiebreak);
        }
    }
}
