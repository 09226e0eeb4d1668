namespace Plexus.Data.Operators;

/// <summary>
/// Where rows go on a worker: the next fused operator, a partitioner, a block builder or a file
/// writer. Rows arrive in batches so that a pipeline makes one interface call per batch, not per row.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal interface IBatchSink<T>
{
    /// <summary>Takes a batch of rows. The span is valid only during the call.</summary>
    void Push(ReadOnlySpan<T> rows);
}
