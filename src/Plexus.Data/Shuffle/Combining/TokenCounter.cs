using System.Runtime.InteropServices;
using Plexus.Data.Operators;

namespace Plexus.Data.Shuffle;

/// <summary>
/// The map side of a word count: counts tokens given as character spans in one table for the whole
/// task, and makes a string only for a token it has not seen (through the table's span lookup), not
/// per token. Emits partial rows <c>(Key, Accumulator)</c> with the count as accumulator, as
/// <see cref="Combiner{T, TKey, TAcc}"/> with a count aggregator would, so one reduce serves both.
/// </summary>
/// <remarks>
/// A token costs one hash, the table's: its partition (its <see cref="StableHash"/> mod R) is
/// computed once per distinct token, when the table is emitted, and one table instead of R keeps
/// the tokens of every partition in one set of cache lines. A table that reaches
/// <c>maxEntries</c> tokens is emitted and restarted, so memory is bounded however many partitions there are.
/// </remarks>
/// <example>
/// <code>
/// var counter = new TokenCounter(sinks);
/// foreach (var range in line.AsSpan().Split(' ')) counter.Add(line.AsSpan()[range]); counter.Complete();
/// </code>
/// </example>
internal sealed class TokenCounter
{
    /// <summary>The default bound on the task's table before it is emitted and restarted.</summary>
    public const int DefaultMaxEntries = Combiner<string, string, long>.DefaultMaxEntriesPerPartition;

    // Ordinal: the default string comparer offers the span lookup, and a token's identity is its chars.
    private readonly Dictionary<string, long> _table = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly PartialEmitter<string, long> _emitter;
    private readonly int _partitions;
    private readonly int _maxEntries;

    public TokenCounter(IBatchSink<(string Key, long Accumulator)>[] partitionSinks, int maxEntries = DefaultMaxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _emitter = new PartialEmitter<string, long>(partitionSinks);
        _partitions = partitionSinks.Length;
        _maxEntries = maxEntries;
        _lookup = _table.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Counts one token; the span is read during the call only.</summary>
    public void Add(ReadOnlySpan<char> token)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_lookup, token, out _)++;
        if (_table.Count >= _maxEntries)
        {
            Emit();
        }
    }

    /// <summary>Emits the counts to their partitions' sinks; the counter can then take the next block.</summary>
    public void Complete() => Emit();

    // In the table's insertion order (it is only added to between emits), so the same tokens give the same partials.
    private void Emit()
    {
        foreach (var (token, count) in _table)
        {
            _emitter.Add(_partitions == 1 ? 0 : StableHash.PartitionOf(StableHash.Of(token), _partitions), token, count);
        }

        _emitter.Flush();
        _table.Clear();
    }
}
