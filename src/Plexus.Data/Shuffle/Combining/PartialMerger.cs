using System.Runtime.InteropServices;
using Plexus.Data.Operators;

namespace Plexus.Data.Shuffle;

/// <summary>
/// The reduce side of a group-by: merges the partial rows of one partition, pushed in map order,
/// into one accumulator per key, then finishes them into <c>(Key, Value)</c> rows in the order keys
/// were first seen. The same partials in the same order give the same rows, floating-point sums included.
/// </summary>
/// <example>
/// <code>
/// var merger = new PartialMerger&lt;Sale, string, long, long&gt;(Aggregators.Count&lt;Sale&gt;());
/// foreach (var partials in runsInMapOrder) merger.Push(partials); merger.Finish(sink);
/// </code>
/// </example>
internal sealed class PartialMerger<T, TKey, TAcc, TResult>(IAggregator<T, TAcc, TResult> aggregator)
    : IBatchSink<(TKey Key, TAcc Accumulator)>
    where TKey : notnull
{
    private readonly IAggregator<T, TAcc, TResult> _aggregator = aggregator ?? throw new ArgumentNullException(nameof(aggregator));

    // The merged accumulator of every key seen so far, in first-seen order.
    private readonly Dictionary<TKey, TAcc> _merged = [];

    /// <summary>Merges a batch of partials; batches must come in map order for a deterministic result.</summary>
    public void Push(ReadOnlySpan<(TKey Key, TAcc Accumulator)> rows)
    {
        foreach (var (key, partial) in rows)
        {
            ref var accumulator = ref CollectionsMarshal.GetValueRefOrAddDefault(_merged, key, out var exists);
            accumulator = exists ? _aggregator.Merge(accumulator!, partial) : partial;
        }
    }

    /// <summary>Pushes every key's finished result to <paramref name="sink"/>, in batches, and empties the merger.</summary>
    public void Finish(IBatchSink<(TKey Key, TResult Value)> sink)
    {
        var writer = new BatchWriter<(TKey Key, TResult Value)>(sink);
        foreach (var (key, accumulator) in _merged)
        {
            writer.Add((key, _aggregator.Finish(accumulator)));
        }

        writer.Flush();
        _merged.Clear();
    }
}
