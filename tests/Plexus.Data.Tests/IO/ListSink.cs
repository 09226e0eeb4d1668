using Plexus.Data.Operators;

namespace Plexus.Data.Tests.IO;

/// <summary>Collects the rows a source pushes, and counts the batches they came in.</summary>
internal sealed class ListSink<T> : IBatchSink<T>
{
    public List<T> Rows { get; } = [];

    public int Batches { get; private set; }

    public Action? AfterEachBatch { get; init; }

    public void Push(ReadOnlySpan<T> rows)
    {
        Batches++;
        Rows.AddRange(rows);
        AfterEachBatch?.Invoke();
    }
}
