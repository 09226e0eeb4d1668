using System.Diagnostics.CodeAnalysis;

namespace Plexus.Data.Shuffle;

/// <summary>Argument checks shared by the partitioners, with throws kept out of their loops.</summary>
internal static class PartitionArguments
{
    public static void RequireSameLength(int rows, int partitionOfRow)
    {
        if (rows != partitionOfRow)
        {
            ThrowLengthMismatch(rows, partitionOfRow);
        }
    }

    [DoesNotReturn]
    public static void ThrowPartitionOutOfRange(int partition, int partitionCount) =>
        throw new ArgumentException($"A row was assigned to partition {partition}, outside [0, {partitionCount}); the partitioner breaks its own PartitionCount.", "partitionOfRow");

    [DoesNotReturn]
    private static void ThrowLengthMismatch(int rows, int partitionOfRow) =>
        throw new ArgumentException($"{rows} rows need as many partition slots, but {partitionOfRow} were given.", nameof(partitionOfRow));
}
