namespace Plexus.Data.Shuffle;

/// <summary>
/// Sorts the rows of a block by key into an output span. Stable: rows with equal keys keep their
/// input order, in either direction, so a sort gives the same bytes on every run.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
/// <example>
/// <code>
/// var sorter = BlockSorter&lt;Record, RecordKey&gt;.Create(r =&gt; r.Key, SortDirection.Ascending);
/// sorter.Sort(block, sorted);
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

    /// <summary>Writes <paramref name="rows"/> sorted into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is not as long as <paramref name="rows"/>.</exception>
    public abstract void Sort(ReadOnlySpan<T> rows, Span<T> output);

    private protected static void RequireOutputLength(int rows, int output)
    {
        if (rows != output)
        {
            throw new ArgumentException($"Sorting {rows} rows needs an output of {rows} rows, but it holds {output}.", nameof(output));
        }
    }
}
