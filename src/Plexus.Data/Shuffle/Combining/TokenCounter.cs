using System.Runtime.InteropServices;
using Plexus.Data.Operators;

namespace Plexus.Data.Shuffle;

/// <summary>
/// The map side of a word count: counts tokens given as character spans, one table per partition,
/// and makes a string only for a token it has not seen (through the table's span lookup), not per
/// token. Emits partial rows <c>(Key, Accumulator)</c> with the count as accumulator, as
/// <see cref="Combiner{T, TKey, TAcc}"/> with a count aggregator would, so one reduce serves both.
/// </summary>
/// <example>
/// <code>
/// var counter = new TokenCounter(sinks);
/// foreach (var range in line.AsSpan().Split(' ')) counter.Add(line.AsSpan()[range]); counter.Complete();
/// </code>
/// </example>
internal sealed class TokenCounter
{
    private readonly Dictionary<string, long>[] _tables;
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>>[] _lookups;
    private readonly PartialEmitter<string, long> _emitter;
    private readonly int _maxEntriesPerPartition;

    public TokenCounter(
        IBatchSink<(string Key, long Accumulator)>[] partitionSinks,
        int maxEntriesPerPartition = Combiner<string, string, long>.DefaultMaxEntriesPerPartition)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntriesPerPartition, 1);
        _emitter = new PartialEmitter<string, long>(partitionSinks);
        _maxEntriesPerPartition = maxEntriesPerPartition;
        _tables = new Dictionary<string, long>[partitionSinks.Length];
        _lookups = new Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>>[partitionSinks.Length];
        for (var r = 0; r < _tables.Length; r++)
        {
            // Ordinal: the default string comparer offers the span lookup, and a token's identity is its chars.
            _tables[r] = new Dictionary<string, long>(StringComparer.Ordinal);
            _lookups[r] = _tables[r].GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    /// <summary>Counts one token; the span is read during the call only.</summary>
    public void Add(ReadOnlySpan<char> token)
    {
        var partition = _tables.Length == 1 ? 0 : StableHash.PartitionOf(StableHash.Of(token), _tables.Length);
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookups[partition], token, out _);
        count++;
        if (_tables[partition].Count >= _maxEntriesPerPartition)
        {
            _emitter.Emit(partition, _tables[partition]);
        }
    }

    /// <summary>Emits every partition's counts to its sink; the counter can then take the next block.</summary>
    public void Complete()
    {
        for (var r = 0; r < _tables.Length; r++)
        {
            _emitter.Emit(r, _tables[r]);
        }
    }
}
