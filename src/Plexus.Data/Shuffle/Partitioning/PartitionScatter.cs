using System.Buffers;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Cuts rows into R partitions: one pass assigns and counts, one pass scatters. The scatter is
/// stable, so rows keep their input order within a partition (a sorted block stays sorted).
/// </summary>
internal static class PartitionScatter
{
    /// <summary>Assigns every row with <paramref name="partitioner"/> and scatters them into a new array.</summary>
    public static PartitionedRows<T> Cut<T>(ReadOnlySpan<T> rows, IRowPartitioner<T> partitioner)
    {
        ArgumentNullException.ThrowIfNull(partitioner);
        var partitionOfRow = ArrayPool<int>.Shared.Rent(rows.Length);
        try
        {
            var assigned = partitionOfRow.AsSpan(0, rows.Length);
            partitioner.Assign(rows, assigned);
            var output = GC.AllocateUninitializedArray<T>(rows.Length);
            var starts = new int[partitioner.PartitionCount + 1];
            Scatter(rows, assigned, output, starts);
            return new PartitionedRows<T>(output, starts);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(partitionOfRow);
        }
    }

    /// <summary>
    /// Scatters <paramref name="rows"/> into <paramref name="output"/> grouped by partition, and writes
    /// where each partition starts into <paramref name="partitionStarts"/> (R+1 entries; the last is the row count).
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths disagree, or a partition is outside [0, R).</exception>
    public static void Scatter<T>(ReadOnlySpan<T> rows, ReadOnlySpan<int> partitionOfRow, Span<T> output, Span<int> partitionStarts)
    {
        PartitionArguments.RequireSameLength(rows.Length, partitionOfRow.Length);
        PartitionArguments.RequireScatterSpace(rows.Length, output.Length, partitionStarts.Length);

        var partitionCount = partitionStarts.Length - 1;
        partitionStarts.Clear();
        foreach (var partition in partitionOfRow)
        {
            if ((uint)partition >= (uint)partitionCount)
            {
                PartitionArguments.ThrowPartitionOutOfRange(partition, partitionCount);
            }

            partitionStarts[partition + 1]++;
        }

        for (var r = 1; r <= partitionCount; r++)
        {
            partitionStarts[r] += partitionStarts[r - 1];
        }

        // Each partition's write cursor, starting where the partition starts.
        var cursor = partitionCount <= 1024 ? stackalloc int[partitionCount] : new int[partitionCount];
        partitionStarts[..partitionCount].CopyTo(cursor);
        for (var i = 0; i < rows.Length; i++)
        {
            output[cursor[partitionOfRow[i]]++] = rows[i];
        }
    }
}
