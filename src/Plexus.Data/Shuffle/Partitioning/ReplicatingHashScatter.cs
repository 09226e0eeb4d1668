namespace Plexus.Data.Shuffle;

/// <summary>
/// The other side of a salted hash partitioning: each row goes to <c>hash mod R</c>, and a row whose
/// key is hot to each of its key's fan-out partitions from there on, so it meets every row of the
/// salted side wherever the salt sent it. Positions are grouped by partition, in input order, as
/// <see cref="PartitionScatter"/> groups them.
/// </summary>
internal static class ReplicatingHashScatter
{
    public static PartitionedPositions Group<T, TKey>(ReadOnlySpan<T> rows, Func<T, TKey> keyOf, int partitionCount, IReadOnlyDictionary<TKey, int> hot)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        // Each row's first partition and how many it goes to; counted first, then scattered, as PartitionScatter does.
        var first = new int[rows.Length];
        var copies = new int[rows.Length];
        var starts = new int[partitionCount + 1];
        for (var i = 0; i < rows.Length; i++)
        {
            var key = keyOf(rows[i]);
            first[i] = StableHash.PartitionOf(StableHash.Of(key), partitionCount);
            copies[i] = key is not null && hot.TryGetValue(key, out var fanout) ? Math.Clamp(fanout, 1, partitionCount) : 1;
            for (var c = 0; c < copies[i]; c++)
            {
                starts[((first[i] + c) % partitionCount) + 1]++;
            }
        }

        for (var r = 1; r < starts.Length; r++)
        {
            starts[r] += starts[r - 1];
        }

        var cursor = starts.AsSpan(0, partitionCount).ToArray();
        var positions = new int[starts[^1]];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var c = 0; c < copies[i]; c++)
            {
                positions[cursor[(first[i] + c) % partitionCount]++] = i;
            }
        }

        return new PartitionedPositions(positions, starts);
    }
}
