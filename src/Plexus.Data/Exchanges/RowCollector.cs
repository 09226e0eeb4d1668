using Plexus.Data.Operators;

namespace Plexus.Data.Exchanges;

/// <summary>
/// Keeps every row a task makes, in order, in one growing array: what an exchange's map cuts into
/// partitions. Told how many rows come (<see cref="ExpectRows"/>), it allocates that array once;
/// given the rows of the task's input block (<see cref="KeepInPlace"/>), it reads them where they are.
/// </summary>
internal sealed class RowCollector<T> : IBatchSink<T>, ISizedSink, IInPlaceRowsSink<T>
{
    private T[] rows = [];

    // The input block's rows, kept in place instead of copied into rows; empty unless KeepInPlace was called.
    private ReadOnlyMemory<T> inPlace;

    public int Count { get; private set; }

    public ReadOnlySpan<T> Rows => inPlace.IsEmpty ? rows.AsSpan(0, Count) : inPlace.Span;

    public Span<T> WritableRows
    {
        get
        {
            CopyInPlaceRows();
            return rows.AsSpan(0, Count);
        }
    }

    public void KeepInPlace(ReadOnlyMemory<T> rows)
    {
        if (Count > 0)
        {
            // After other rows, they are copied after them, as pushed rows are.
            Push(rows.Span);
            return;
        }

        inPlace = rows;
        Count = rows.Length;
    }

    public void ExpectRows(long rows)
    {
        if (rows > this.rows.Length && rows <= Array.MaxLength)
        {
            Grow((int)rows);
        }
    }

    public void Push(ReadOnlySpan<T> batch)
    {
        CopyInPlaceRows();
        if (Count + batch.Length > rows.Length)
        {
            Grow(Math.Max(Count + batch.Length, Math.Max(1024, rows.Length * 2)));
        }

        batch.CopyTo(rows.AsSpan(Count));
        Count += batch.Length;
    }

    /// <summary>Rows kept in place become the collector's own before anything writes to them or follows them.</summary>
    private void CopyInPlaceRows()
    {
        if (!inPlace.IsEmpty)
        {
            var kept = inPlace;
            inPlace = default;
            Count = 0;
            Grow(kept.Length);
            kept.Span.CopyTo(rows);
            Count = kept.Length;
        }
    }

    private void Grow(int capacity)
    {
        var grown = GC.AllocateUninitializedArray<T>(capacity);
        rows.AsSpan(0, Count).CopyTo(grown);
        rows = grown;
    }
}
