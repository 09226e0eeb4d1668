namespace Plexus.Data.Shuffle;

/// <summary>The partial state of a minimum or maximum: whether a value was seen, and the extreme one.</summary>
internal readonly record struct ExtremeAccumulator<TValue>(bool HasValue, TValue Value);

/// <summary>
/// The smallest (or, reversed, the largest) value of each row by <see cref="Comparer{T}.Default"/>;
/// of equal values, the first seen is kept, so reference-type results are deterministic too.
/// </summary>
internal sealed class ExtremeAggregator<T, TValue>(Func<T, TValue> valueOf, bool keepsLargest)
    : IAggregator<T, ExtremeAccumulator<TValue>, TValue>
{
    public ExtremeAccumulator<TValue> Init() => default;

    public ExtremeAccumulator<TValue> Add(ExtremeAccumulator<TValue> accumulator, T row) =>
        Merge(accumulator, new ExtremeAccumulator<TValue>(true, valueOf(row)));

    public ExtremeAccumulator<TValue> Merge(ExtremeAccumulator<TValue> earlier, ExtremeAccumulator<TValue> later)
    {
        if (!earlier.HasValue)
        {
            return later;
        }

        if (!later.HasValue)
        {
            return earlier;
        }

        var order = Comparer<TValue>.Default.Compare(later.Value, earlier.Value);
        return (keepsLargest ? order > 0 : order < 0) ? later : earlier;
    }

    /// <exception cref="InvalidOperationException">The group had no rows, which grouping never makes.</exception>
    public TValue Finish(ExtremeAccumulator<TValue> accumulator) =>
        accumulator.HasValue
            ? accumulator.Value
            : throw new InvalidOperationException("A minimum or maximum of no rows has no value; aggregate only groups that have rows.");
}
