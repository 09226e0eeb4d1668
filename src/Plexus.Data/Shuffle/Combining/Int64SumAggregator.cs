namespace Plexus.Data.Shuffle;

/// <summary>Sums a 64-bit integer of each row; overflow wraps, as unchecked C# arithmetic does.</summary>
internal sealed class Int64SumAggregator<T>(Func<T, long> valueOf) : IAggregator<T, long, long>
{
    public long Init() => 0;

    public long Add(long accumulator, T row) => accumulator + valueOf(row);

    public long Merge(long earlier, long later) => earlier + later;

    public long Finish(long accumulator) => accumulator;
}
