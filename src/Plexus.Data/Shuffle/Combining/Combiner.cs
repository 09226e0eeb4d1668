using System.Runtime.InteropServices;
using Plexus.Data.Operators;

namespace Plexus.Data.Shuffle;

/// <summary>
/// The map side of a group-by: folds rows into one accumulator per key, with one table per
/// partition (the key's <see cref="StableHash"/> mod R), and emits the tables as partial rows
/// <c>(Key, Accumulator)</c> to each partition's sink.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <typeparam name="TKey">The key type; keys must not be null.</typeparam>
/// <typeparam name="TAcc">The aggregator's accumulator.</typeparam>
/// <remarks>
/// A table that reaches <c>maxEntriesPerPartition</c> keys is emitted and restarted, which bounds
/// memory whatever the number of keys; the reduce side merges the extra partials. Combining pays
/// only when keys repeat: if after <see cref="ProbeRows"/> rows the tables hold more than half as
/// many keys as rows, the combiner emits its tables and passes every later row through as a
/// partial of its own. Call <see cref="Complete"/> after the block's last row.
/// </remarks>
/// <example>
/// <code>
/// var combiner = Combiner&lt;Sale, string, long&gt;.Create(s =&gt; s.Region, Aggregators.Count&lt;Sale&gt;(), sinks);
/// combiner.Push(rows); combiner.Complete();
/// </code>
/// </example>
internal sealed class Combiner<T, TKey, TAcc> : IBatchSink<T>
    where TKey : notnull
{
    /// <summary>The default bound on a partition's table before it is emitted and restarted.</summary>
    public const int DefaultMaxEntriesPerPartition = 1 << 20;

    /// <summary>The rows after which the combiner checks that keys repeat enough to be worth combining.</summary>
    public const int ProbeRows = 1 << 20;

    private readonly Func<T, TKey> _keyOf;
    private readonly Func<TAcc> _init;
    private readonly Func<TAcc, T, TAcc> _add;
    private readonly Dictionary<TKey, TAcc>[] _tables;
    private readonly PartialEmitter<TKey, TAcc> _emitter;
    private readonly int _maxEntriesPerPartition;

    // Rows pushed so far, counted until the probe decides; then whether rows bypass the tables.
    private long _rowsSeen;
    private bool _passesRowsThrough;

    private Combiner(
        Func<T, TKey> keyOf, Func<TAcc> init, Func<TAcc, T, TAcc> add,
        IBatchSink<(TKey Key, TAcc Accumulator)>[] partitionSinks, int maxEntriesPerPartition)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntriesPerPartition, 1);
        _keyOf = keyOf;
        _init = init;
        _add = add;
        _emitter = new PartialEmitter<TKey, TAcc>(partitionSinks);
        _maxEntriesPerPartition = maxEntriesPerPartition;
        _tables = new Dictionary<TKey, TAcc>[partitionSinks.Length];
        for (var r = 0; r < _tables.Length; r++)
        {
            _tables[r] = [];
        }
    }

    /// <summary>A combiner with one partition per sink.</summary>
    public static Combiner<T, TKey, TAcc> Create<TResult>(
        Func<T, TKey> keyOf,
        IAggregator<T, TAcc, TResult> aggregator,
        IBatchSink<(TKey Key, TAcc Accumulator)>[] partitionSinks,
        int maxEntriesPerPartition = DefaultMaxEntriesPerPartition)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentNullException.ThrowIfNull(aggregator);
        return new Combiner<T, TKey, TAcc>(keyOf, aggregator.Init, aggregator.Add, partitionSinks, maxEntriesPerPartition);
    }

    /// <summary>Folds a batch of rows into the tables.</summary>
    /// <exception cref="ArgumentException">A row's key is null.</exception>
    public void Push(ReadOnlySpan<T> rows)
    {
        if (_passesRowsThrough)
        {
            PassThrough(rows);
            return;
        }

        var partitionCount = _tables.Length;
        foreach (var row in rows)
        {
            var key = KeyOf(row);
            var partition = partitionCount == 1 ? 0 : StableHash.PartitionOf(StableHash.Of(key), partitionCount);
            var table = _tables[partition];
            ref var accumulator = ref CollectionsMarshal.GetValueRefOrAddDefault(table, key, out var exists);
            accumulator = _add(exists ? accumulator! : _init(), row);
            if (table.Count >= _maxEntriesPerPartition)
            {
                _emitter.Emit(partition, table);
            }
        }

        _rowsSeen += rows.Length;
        if (_rowsSeen >= ProbeRows && KeysHeld() * 2 > _rowsSeen)
        {
            _passesRowsThrough = true;
            EmitTables();
        }
    }

    /// <summary>Emits every partition's table to its sink; the combiner can then take the next block, probed afresh.</summary>
    public void Complete()
    {
        EmitTables();
        _emitter.Flush();
        _rowsSeen = 0;
        _passesRowsThrough = false;
    }

    private void PassThrough(ReadOnlySpan<T> rows)
    {
        var partitionCount = _tables.Length;
        foreach (var row in rows)
        {
            var key = KeyOf(row);
            var partition = partitionCount == 1 ? 0 : StableHash.PartitionOf(StableHash.Of(key), partitionCount);
            _emitter.Add(partition, key, _add(_init(), row));
        }
    }

    private TKey KeyOf(T row)
    {
        var key = _keyOf(row);
        if (key is null)
        {
            CombinerArguments.ThrowNullKey();
        }

        return key;
    }

    private long KeysHeld()
    {
        long keys = 0;
        foreach (var table in _tables)
        {
            keys += table.Count;
        }

        return keys;
    }

    private void EmitTables()
    {
        for (var r = 0; r < _tables.Length; r++)
        {
            _emitter.Emit(r, _tables[r]);
        }
    }
}
