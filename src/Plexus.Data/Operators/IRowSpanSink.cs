namespace Plexus.Data.Operators;

/// <summary>
/// A sink that lends its own storage for the next rows: a block builder told how many rows come,
/// whose block is the task's return in the store. A source that makes rows into a span (a
/// generator, a merge) then writes them where they stay, instead of into a batch that the sink
/// copies. <see cref="RowSpanWriter"/> does either, as the sink allows.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal interface IRowSpanSink<T> : IBatchSink<T>
{
    /// <summary>
    /// Room for at most <paramref name="rows"/> next rows, to be written and then committed with
    /// <see cref="Advance"/>; empty when the sink has no room to lend (the caller pushes instead).
    /// </summary>
    Span<T> GetRowSpan(int rows);

    /// <summary>Commits the first <paramref name="rows"/> rows written into the span <see cref="GetRowSpan"/> gave.</summary>
    void Advance(int rows);
}
