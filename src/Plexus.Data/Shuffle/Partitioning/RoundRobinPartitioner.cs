namespace Plexus.Data.Shuffle;

/// <summary>
/// Deals rows to partitions in turn. Block b starts at partition b mod R, so that many small
/// blocks do not all fill partition 0 first.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal sealed class RoundRobinPartitioner<T> : IRowPartitioner<T>
{
    // The partition of the next row.
    private int _next;

    public RoundRobinPartitioner(int partitionCount, long blockIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(blockIndex);
        PartitionCount = partitionCount;
        _next = (int)(blockIndex % partitionCount);
    }

    public int PartitionCount { get; }

    public void Assign(ReadOnlySpan<T> rows, Span<int> partitionOfRow)
    {
        PartitionArguments.RequireSameLength(rows.Length, partitionOfRow.Length);
        var next = _next;
        for (var i = 0; i < partitionOfRow.Length; i++)
        {
            partitionOfRow[i] = next;
            if (++next == PartitionCount)
            {
                next = 0;
            }
        }

        _next = next;
    }
}
