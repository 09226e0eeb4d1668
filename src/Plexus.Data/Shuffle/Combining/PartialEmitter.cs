using Plexus.Data.Operators;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Pushes the entries of a partition's table to that partition's sink as partial rows
/// <c>(Key, Accumulator)</c>, in batches, in the table's insertion order (a dictionary that is only
/// added to enumerates in insertion order), so the same rows give the same partials.
/// </summary>
internal sealed class PartialEmitter<TKey, TAcc>
    where TKey : notnull
{
    private const int BatchRows = 4096;

    private readonly IBatchSink<(TKey Key, TAcc Accumulator)>[] _sinks;

    // Reused for every batch; cleared after each flush so it holds no keys alive.
    private readonly (TKey Key, TAcc Accumulator)[] _batch = new (TKey Key, TAcc Accumulator)[BatchRows];

    public PartialEmitter(IBatchSink<(TKey Key, TAcc Accumulator)>[] partitionSinks)
    {
        ArgumentNullException.ThrowIfNull(partitionSinks);
        ArgumentOutOfRangeException.ThrowIfZero(partitionSinks.Length, nameof(partitionSinks));
        _sinks = partitionSinks;
    }

    public int PartitionCount => _sinks.Length;

    /// <summary>Pushes the table's entries to the partition's sink, then empties the table.</summary>
    public void Emit(int partition, Dictionary<TKey, TAcc> table)
    {
        var filled = 0;
        foreach (var (key, accumulator) in table)
        {
            _batch[filled++] = (key, accumulator);
            if (filled == BatchRows)
            {
                _sinks[partition].Push(_batch);
                filled = 0;
            }
        }

        if (filled > 0)
        {
            _sinks[partition].Push(_batch.AsSpan(0, filled));
        }

        Array.Clear(_batch);
        table.Clear();
    }
}
