using Plexus.Data.Operators;

namespace Plexus.Data.Exchanges;

/// <summary>
/// Keeps every row a task makes, in order, in one growing array: what an exchange's map cuts into
/// partitions. Told how many rows come (<see cref="ExpectRows"/>), it allocates that array once.
/// </summary>
internal sealed class RowCollector<T> : IBatchSink<T>, ISizedSink
{
    private T[] rows = [];

    public int Count { get; private set; }

    public ReadOnlySpan<T> Rows => rows.AsSpan(0, Count);

    public Span<T> WritableRows => rows.AsSpan(0, Count);

    public void ExpectRows(long rows)
    {
        if (rows > this.rows.Length && rows <= Array.MaxLength)
        {
            Grow((int)rows);
        }
    }

    public void Push(ReadOnlySpan<T> batch)
    {
        if (Count + batch.Length > rows.Length)
        {
            Grow(Math.Max(Count + batch.Length, Math.Max(1024, rows.Length * 2)));
        }

        batch.CopyTo(rows.AsSpan(Count));
        Count += batch.Length;
    }

    private void Grow(int capacity)
    {
        var grown = GC.AllocateUninitializedArray<T>(capacity);
        rows.AsSpan(0, Count).CopyTo(grown);
        rows = grown;
    }
}
