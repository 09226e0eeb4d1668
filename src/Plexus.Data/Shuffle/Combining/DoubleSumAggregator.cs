namespace Plexus.Data.Shuffle;

/// <summary>
/// Sums a double of each row. Rows add in block order and partials merge in map order, so the
/// rounding, and the result, are the same on every run.
/// </summary>
internal sealed class DoubleSumAggregator<T>(Func<T, double> valueOf) : IAggregator<T, double, double>
{
    public double Init() => 0d;

    public double Add(double accumulator, T row) => accumulator + valueOf(row);

    public double Merge(double earlier, double later) => earlier + later;

    public double Finish(double accumulator) => accumulator;
}
