namespace Plexus.Data.Shuffle;

/// <summary>
/// Sorts the rows of a block by key: it gives their positions in sorted order, so the caller moves
/// each row once, straight to where it goes (a map writes each partition's block this way). Stable:
/// rows with equal keys keep their input order, in either direction, so a sort gives the same bytes on every run.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
/// <example>
/// <code>
/// var sorter = BlockSorter&lt;Record, RecordKey&gt;.Create(r =&gt; r.Key, SortDirection.Ascending);
/// sorter.Order(block, positions); // block[positions[0]] is the first row in key order
/// </code>
/// </example>
internal abstract class BlockSorter<T, TKey>
{
    /// <summary>
    /// A radix sorter when <typeparamref name="TKey"/> implements <see cref="INormalizedKey{TSelf}"/>,
    /// else a comparison sorter over <see cref="Comparer{T}.Default"/>.
    /// </summary>
    public static BlockSorter<T, TKey> Create(Func<T, TKey> keyOf, SortDirection direction)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        return KeyOrderDispatch.Create<BlockSorter<T, TKey>, TKey>(
            typeof(RadixBlockSorter<,,>), typeof(ComparisonBlockSorter<,,>), [typeof(T)], direction, keyOf);
    }

    /// <summary>Writes the positions of <paramref name="rows"/> in key order into <paramref name="positions"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="positions"/> is not as long as <paramref name="rows"/>.</exception>
    public abstract void Order(ReadOnlySpan<T> rows, Span<int> positions);

    private protected static void RequireOrderLength(int rows, int positions)
    {
        if (rows != positions)
        {
            throw new ArgumentException($"Sorting {rows} rows needs room for {rows} positions, but the span holds {positions}.", nameof(positions));
        }
    }
}
