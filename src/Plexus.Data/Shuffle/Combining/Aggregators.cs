namespace Plexus.Data.Shuffle;

/// <summary>The built-in aggregators behind GroupBy's Count, Sum, Min, Max and Mean.</summary>
internal static class Aggregators
{
    public static IAggregator<T, long, long> Count<T>() => new CountAggregator<T>();

    public static IAggregator<T, long, long> Sum<T>(Func<T, long> valueOf) => new Int64SumAggregator<T>(Checked(valueOf));

    public static IAggregator<T, double, double> Sum<T>(Func<T, double> valueOf) => new DoubleSumAggregator<T>(Checked(valueOf));

    public static IAggregator<T, ExtremeAccumulator<TValue>, TValue> Min<T, TValue>(Func<T, TValue> valueOf) =>
        new ExtremeAggregator<T, TValue>(Checked(valueOf), keepsLargest: false);

    public static IAggregator<T, ExtremeAccumulator<TValue>, TValue> Max<T, TValue>(Func<T, TValue> valueOf) =>
        new ExtremeAggregator<T, TValue>(Checked(valueOf), keepsLargest: true);

    public static IAggregator<T, MeanAccumulator, double> Mean<T>(Func<T, double> valueOf) => new MeanAggregator<T>(Checked(valueOf));

    private static TFunc Checked<TFunc>(TFunc valueOf)
        where TFunc : Delegate
    {
        ArgumentNullException.ThrowIfNull(valueOf);
        return valueOf;
    }
}
