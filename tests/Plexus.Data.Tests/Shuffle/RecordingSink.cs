using Plexus.Data.Operators;

namespace Plexus.Data.Tests.Shuffle;

/// <summary>A sink that keeps every row pushed into it, and the size of each batch.</summary>
internal sealed class RecordingSink<T> : IBatchSink<T>
{
    public List<T> Rows { get; } = [];

    public List<int> BatchSizes { get; } = [];

    public void Push(ReadOnlySpan<T> rows)
    {
        BatchSizes.Add(rows.Length);
        Rows.AddRange(rows);
    }
}
