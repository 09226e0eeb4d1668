using Plexus.Data.Operators;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Merges runs sorted by key into one sorted sequence: the sort's merge and reduce tasks. Stable:
/// equal keys come out by run index, then by position in the run, so the output is the same bytes
/// on every run when the runs arrive in the same order.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
/// <example>
/// <code>
/// var merger = RunMerger&lt;Record, RecordKey&gt;.Create(r =&gt; r.Key, SortDirection.Ascending);
/// merger.Merge([run0, run1, run2], sink);
/// </code>
/// </example>
internal abstract class RunMerger<T, TKey>
{
    /// <summary>The rows per batch pushed into a sink.</summary>
    public const int BatchRows = BatchWriter<T>.BatchRows;

    /// <summary>
    /// A merger comparing normalized prefixes first when <typeparamref name="TKey"/> implements
    /// <see cref="INormalizedKey{TSelf}"/>, else keys by <see cref="Comparer{T}.Default"/>. The runs
    /// must be sorted in <paramref name="direction"/>; unsorted runs give unsorted output, undetected.
    /// </summary>
    public static RunMerger<T, TKey> Create(Func<T, TKey> keyOf, SortDirection direction)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        return KeyOrderDispatch.Create<RunMerger<T, TKey>, TKey>(
            typeof(LoserTreeMerger<,,>), typeof(LoserTreeMerger<,,>), [typeof(T)], direction, keyOf);
    }

    /// <summary>Starts a merge that the caller pulls from, a span at a time.</summary>
    public abstract MergeCursor<T> Open(ReadOnlySpan<ReadOnlyMemory<T>> runs);

    /// <summary>Merges the runs into <paramref name="sink"/>, in batches of <see cref="BatchRows"/> rows.</summary>
    public void Merge(ReadOnlySpan<ReadOnlyMemory<T>> runs, IBatchSink<T> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var cursor = Open(runs);
        var batch = GC.AllocateUninitializedArray<T>((int)Math.Min(BatchRows, cursor.RemainingRows));
        int filled;
        while ((filled = cursor.Fill(batch)) > 0)
        {
            sink.Push(batch.AsSpan(0, filled));
        }
    }

    /// <summary>Merges the runs into <paramref name="output"/>, which must hold exactly all their rows.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/>'s length is not the runs' total.</exception>
    public void Merge(ReadOnlySpan<ReadOnlyMemory<T>> runs, Span<T> output)
    {
        var cursor = Open(runs);
        if (cursor.RemainingRows != output.Length)
        {
            throw new ArgumentException($"The runs hold {cursor.RemainingRows} rows, but the output holds {output.Length}; size it to the sum of the runs' lengths.", nameof(output));
        }

        cursor.Fill(output);
    }
}
