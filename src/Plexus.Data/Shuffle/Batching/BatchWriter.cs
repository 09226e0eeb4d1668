using Plexus.Data.Operators;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Collects rows one at a time and pushes them into a sink in batches of up to
/// <see cref="BatchRows"/>, so kernels that make rows one by one still call the sink once per batch.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal sealed class BatchWriter<T>(IBatchSink<T> sink)
{
    /// <summary>The rows per batch, as <see cref="IBatchSink{T}"/> expects.</summary>
    public const int BatchRows = 4096;

    private readonly IBatchSink<T> _sink = sink ?? throw new ArgumentNullException(nameof(sink));

    // The batch being filled: _batch[0.._filled]; allocated on the first row.
    private T[]? _batch;
    private int _filled;

    public void Add(T row)
    {
        _batch ??= new T[BatchRows];
        _batch[_filled++] = row;
        if (_filled == BatchRows)
        {
            Flush();
        }
    }

    /// <summary>Pushes the rows collected so far, if any, and clears the batch so it holds no rows alive.</summary>
    public void Flush()
    {
        if (_filled == 0)
        {
            return;
        }

        _sink.Push(_batch.AsSpan(0, _filled));
        Array.Clear(_batch!, 0, _filled);
        _filled = 0;
    }
}
