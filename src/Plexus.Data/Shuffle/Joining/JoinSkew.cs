namespace Plexus.Data.Shuffle;

/// <summary>What a hashed join's reduce reads, without its key type: the executor asks it which partitions each reduce reads.</summary>
internal abstract class JoinSkew
{
    /// <summary>R, the join's partitions.</summary>
    public abstract int Partitions { get; }

    /// <summary>No key is hot: each reduce reads its own partition of each side, every row of it.</summary>
    public abstract bool IsEmpty { get; }

    /// <summary>The partitions of <paramref name="side"/> reduce <paramref name="partition"/> reads, in order: its own, and those holding rows it copies.</summary>
    public abstract int[] PartitionsRead(JoinSide side, int partition);
}

/// <summary>
/// A hashed join's hot keys once both sides are mapped. Each side's maps spread the keys hot in
/// their block (<see cref="SaltedHashPartitioner{T, TKey}"/>), neither knowing the other's; the driver
/// then settles each key on one side, the one with more of its rows (the left on a tie), and the
/// reduces in its spread each read every row of the other side with that key, from the partitions
/// that side's maps left them in, and no reduce reads that side's rows of it from its own partition
/// otherwise. So every row of the spread side sits in one reduce that holds all its matches, and
/// each pair is made once.
/// </summary>
/// <typeparam name="TKey">The join's key type.</typeparam>
internal sealed class JoinSkew<TKey> : JoinSkew
    where TKey : notnull
{
    private readonly Dictionary<TKey, SkewedJoinKey<TKey>> _keys;

    public JoinSkew(IEnumerable<SkewedJoinKey<TKey>> keys, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        _keys = keys.ToDictionary(k => k.Key);
        Partitions = partitions;
    }

    public override int Partitions { get; }

    public override bool IsEmpty => _keys.Count == 0;

    /// <summary>
    /// Settles the keys the maps of both sides reported: per side, the widest fan-out any map gave a
    /// key (partitions start at <c>hash mod R</c> in every map, so the widest covers the others) and
    /// the sum of the maps' row estimates; spread on the side with more rows.
    /// </summary>
    public static JoinSkew<TKey> Settle(IEnumerable<HotKey<TKey>> left, IEnumerable<HotKey<TKey>> right, int partitions)
    {
        var lefts = Widest(left);
        var rights = Widest(right);
        var keys = new List<SkewedJoinKey<TKey>>();
        foreach (var key in lefts.Keys.Union(rights.Keys))
        {
            var onLeft = lefts.GetValueOrDefault(key);
            var onRight = rights.GetValueOrDefault(key);
            keys.Add(onLeft.Rows >= onRight.Rows
                ? new SkewedJoinKey<TKey>(key, JoinSide.Left, onLeft.Fanout, Math.Max(1, onRight.Fanout))
                : new SkewedJoinKey<TKey>(key, JoinSide.Right, onRight.Fanout, Math.Max(1, onLeft.Fanout)));
        }

        return new JoinSkew<TKey>(keys, partitions);
    }

    /// <summary>The settled keys, as the reduces are sent them.</summary>
    public IReadOnlyCollection<SkewedJoinKey<TKey>> Keys => _keys.Values;

    public override int[] PartitionsRead(JoinSide side, int partition)
    {
        var read = new SortedSet<int> { partition };
        foreach (var key in _keys.Values)
        {
            if (key.SpreadSide != side && Covers(key.Key, key.SpreadFanout, partition))
            {
                var home = HomeOf(key.Key);
                for (var j = 0; j < key.CopyFanout; j++)
                {
                    read.Add((home + j) % Partitions);
                }
            }
        }

        return [.. read];
    }

    /// <summary>
    /// Whether reduce <paramref name="partition"/> joins a row of <paramref name="side"/> with
    /// <paramref name="key"/> that it read from partition <paramref name="from"/>: a row of a key copied
    /// on this side wherever the key's spread covers the reduce, any other row in its own partition only.
    /// </summary>
    public bool Keeps(JoinSide side, TKey? key, int from, int partition) =>
        key is not null && _keys.TryGetValue(key, out var skewed) && skewed.SpreadSide != side
            ? Covers(key, skewed.SpreadFanout, partition)
            : from == partition;

    /// <summary>
    /// Whether <paramref name="key"/> was spread on <paramref name="side"/>. A left row whose key was
    /// spread on the right has a match (a right map saw the key on many of its rows), but a reduce may
    /// hold none of them: a left outer join must not emit it unmatched there.
    /// </summary>
    public bool IsSpreadOn(JoinSide side, TKey? key) => key is not null && _keys.TryGetValue(key, out var skewed) && skewed.SpreadSide == side;

    private static Dictionary<TKey, (int Fanout, long Rows)> Widest(IEnumerable<HotKey<TKey>> reports)
    {
        var widest = new Dictionary<TKey, (int Fanout, long Rows)>();
        foreach (var (key, fanout, rows) in reports)
        {
            var (seen, sum) = widest.GetValueOrDefault(key);
            widest[key] = (Math.Max(seen, fanout), sum + rows);
        }

        return widest;
    }

    private int HomeOf(TKey key) => StableHash.PartitionOf(StableHash.Of(key), Partitions);

    private bool Covers(TKey key, int fanout, int partition) => (partition - HomeOf(key) + Partitions) % Partitions < fanout;
}
