namespace Plexus.Data.Shuffle;

/// <summary>Sends a row to <c>StableHash(key) mod R</c>, so every map sends a key to the same partition.</summary>
/// <typeparam name="T">The row type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class HashPartitioner<T, TKey> : IRowPartitioner<T>
{
    private readonly Func<T, TKey> _keyOf;

    public HashPartitioner(Func<T, TKey> keyOf, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        _keyOf = keyOf;
        PartitionCount = partitionCount;
    }

    public int PartitionCount { get; }

    public void Assign(ReadOnlySpan<T> rows, Span<int> partitionOfRow)
    {
        PartitionArguments.RequireSameLength(rows.Length, partitionOfRow.Length);
        var partitionCount = PartitionCount;
        for (var i = 0; i < rows.Length; i++)
        {
            partitionOfRow[i] = StableHash.PartitionOf(StableHash.Of(_keyOf(rows[i])), partitionCount);
        }
    }
}
