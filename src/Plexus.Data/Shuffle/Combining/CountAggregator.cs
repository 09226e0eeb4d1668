namespace Plexus.Data.Shuffle;

/// <summary>Counts the rows of a group.</summary>
internal sealed class CountAggregator<T> : IAggregator<T, long, long>
{
    public long Init() => 0;

    public long Add(long accumulator, T row) => accumulator + 1;

    public long Merge(long earlier, long later) => earlier + later;

    public long Finish(long accumulator) => accumulator;
}
