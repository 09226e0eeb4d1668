namespace Plexus.Data.Shuffle;

/// <summary>
/// Hash partitioning that spreads hot keys: a row whose key is in the hot set goes, round-robin, to
/// one of its key's <see cref="HotKey{TKey}.Fanout"/> partitions from <c>hash mod R</c> on; every
/// other row to <c>hash mod R</c>. Each reduce among those partitions then reads every row of the
/// other side with that key (<see cref="JoinSkew{TKey}"/>), so each row still meets every row it matches, once.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class SaltedHashPartitioner<T, TKey> : IRowPartitioner<T>
    where TKey : notnull
{
    private readonly Func<T, TKey> _keyOf;

    // Each hot key's place in _fanouts and _sent.
    private readonly Dictionary<TKey, int> _hotIndex = [];
    private readonly int[] _fanouts;

    // How many rows of each hot key this block has sent so far: what the round-robin turns on.
    private readonly int[] _sent;

    public SaltedHashPartitioner(Func<T, TKey> keyOf, int partitionCount, IReadOnlyCollection<HotKey<TKey>> hot)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        _keyOf = keyOf;
        PartitionCount = partitionCount;
        _fanouts = new int[hot.Count];
        _sent = new int[hot.Count];
        foreach (var (key, fanout, _) in hot)
        {
            _fanouts[_hotIndex.Count] = Math.Clamp(fanout, 1, partitionCount);
            _hotIndex.Add(key, _hotIndex.Count);
        }
    }

    public int PartitionCount { get; }

    public void Assign(ReadOnlySpan<T> rows, Span<int> partitionOfRow)
    {
        PartitionArguments.RequireSameLength(rows.Length, partitionOfRow.Length);
        var partitionCount = PartitionCount;
        for (var i = 0; i < rows.Length; i++)
        {
            var key = _keyOf(rows[i]);
            var partition = StableHash.PartitionOf(StableHash.Of(key), partitionCount);
            if (_hotIndex.Count > 0 && key is not null && _hotIndex.TryGetValue(key, out var hot))
            {
                partition = (partition + (_sent[hot]++ % _fanouts[hot])) % partitionCount;
            }

            partitionOfRow[i] = partition;
        }
    }
}
