using Plexus.Data.Operators;

namespace Plexus.Data.Exchanges;

/// <summary>Keeps every row a task makes, in order, in one growing array: what an exchange's map cuts into partitions.</summary>
internal sealed class RowCollector<T> : IBatchSink<T>
{
    private T[] rows = [];

    public int Count { get; private set; }

    public ReadOnlySpan<T> Rows => rows.AsSpan(0, Count);

    public Span<T> WritableRows => rows.AsSpan(0, Count);

    public void Push(ReadOnlySpan<T> batch)
    {
        if (Count + batch.Length > rows.Length)
        {
            var grown = GC.AllocateUninitializedArray<T>(Math.Max(Count + batch.Length, Math.Max(1024, rows.Length * 2)));
            rows.AsSpan(0, Count).CopyTo(grown);
            rows = grown;
        }

        batch.CopyTo(rows.AsSpan(Count));
        Count += batch.Length;
    }
}
