using System.Buffers;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Cuts rows into R partitions: one pass assigns and counts, one pass scatters their positions. The
/// scatter is stable, so rows keep their order within a partition (the input's, or a sort's).
/// </summary>
internal static class PartitionScatter
{
    /// <summary>
    /// Assigns every row with <paramref name="partitioner"/> and groups the rows' positions by
    /// partition, taking rows in <paramref name="order"/> (positions, a sort's output) or, when it is
    /// empty, in input order. Only positions move (4 bytes a row); the caller moves each row once.
    /// A partitioner that is an <see cref="ISortedRowPartitioner{T}"/> is given the order, which must
    /// then be the rows sorted by its key in its direction.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="order"/> is neither empty nor as long as <paramref name="rows"/>, or a partition is outside [0, R).</exception>
    public static PartitionedPositions Group<T>(ReadOnlySpan<T> rows, IRowPartitioner<T> partitioner, ReadOnlySpan<int> order = default)
    {
        ArgumentNullException.ThrowIfNull(partitioner);
        if (!order.IsEmpty)
        {
            PartitionArguments.RequireSameLength(rows.Length, order.Length);
        }

        var partitionOfRow = ArrayPool<int>.Shared.Rent(rows.Length);
        try
        {
            var assigned = partitionOfRow.AsSpan(0, rows.Length);
            if (!order.IsEmpty && partitioner is ISortedRowPartitioner<T> sorted)
            {
                sorted.AssignSorted(rows, order, assigned);
            }
            else
            {
                partitioner.Assign(rows, assigned);
            }

            var starts = new int[partitioner.PartitionCount + 1];
            foreach (var partition in assigned)
            {
                if ((uint)partition >= (uint)partitioner.PartitionCount)
                {
                    PartitionArguments.ThrowPartitionOutOfRange(partition, partitioner.PartitionCount);
                }

                starts[partition + 1]++;
            }

            for (var r = 1; r < starts.Length; r++)
            {
                starts[r] += starts[r - 1];
            }

            // Each partition's write cursor, starting where the partition starts.
            var cursor = starts.AsSpan(0, partitioner.PartitionCount).ToArray();
            var positions = new int[rows.Length];
            for (var i = 0; i < positions.Length; i++)
            {
                var position = order.IsEmpty ? i : order[i];
                positions[cursor[assigned[position]]++] = position;
            }

            return new PartitionedPositions(positions, starts);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(partitionOfRow);
        }
    }
}
