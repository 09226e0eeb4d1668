namespace Plexus.Data.Shuffle;

/// <summary>The partial state of a mean: the sum and count of the values so far.</summary>
internal readonly record struct MeanAccumulator(double Sum, long Count);

/// <summary>Averages a double of each row: the sum over the count, merged as sums and counts.</summary>
internal sealed class MeanAggregator<T>(Func<T, double> valueOf) : IAggregator<T, MeanAccumulator, double>
{
    public MeanAccumulator Init() => default;

    public MeanAccumulator Add(MeanAccumulator accumulator, T row) =>
        new(accumulator.Sum + valueOf(row), accumulator.Count + 1);

    public MeanAccumulator Merge(MeanAccumulator earlier, MeanAccumulator later) =>
        new(earlier.Sum + later.Sum, earlier.Count + later.Count);

    /// <summary>The mean; NaN for a group with no rows, which grouping never makes.</summary>
    public double Finish(MeanAccumulator accumulator) => accumulator.Sum / accumulator.Count;
}
