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
    private readonly BatchWriter<(TKey Key, TAcc Accumulator)>[] _writers;

    public PartialEmitter(IBatchSink<(TKey Key, TAcc Accumulator)>[] partitionSinks)
    {
        ArgumentNullException.ThrowIfNull(partitionSinks);
        ArgumentOutOfRangeException.ThrowIfZero(partitionSinks.Length, nameof(partitionSinks));
        _writers = new BatchWriter<(TKey Key, TAcc Accumulator)>[partitionSinks.Length];
        for (var r = 0; r < _writers.Length; r++)
        {
            _writers[r] = new BatchWriter<(TKey Key, TAcc Accumulator)>(partitionSinks[r]);
        }
    }

    /// <summary>Queues one partial row for the partition's sink; <see cref="Flush"/> pushes what is queued.</summary>
    public void Add(int partition, TKey key, TAcc accumulator) => _writers[partition].Add((key, accumulator));

    /// <summary>Pushes the partial rows queued for every partition.</summary>
    public void Flush()
    {
        foreach (var writer in _writers)
        {
            writer.Flush();
        }
    }

    /// <summary>Pushes the table's entries to the partition's sink, then empties the table.</summary>
    public void Emit(int partition, Dictionary<TKey, TAcc> table)
    {
        var writer = _writers[partition];
        foreach (var (key, accumulator) in table)
        {
            writer.Add((key, accumulator));
        }

        writer.Flush();
        table.Clear();
    }
}
