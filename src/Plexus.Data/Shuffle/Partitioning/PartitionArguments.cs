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

    public static void RequireScatterSpace(int rows, int output, int partitionStarts)
    {
        if (output != rows || partitionStarts < 2)
        {
            throw new ArgumentException($"Scattering {rows} rows needs an output of {rows} rows and at least 2 partition starts (R+1); got {output} output rows and {partitionStarts} starts.");
        }
    }

    [DoesNotReturn]
    public static void ThrowPartitionOutOfRange(int partition, int partitionCount) =>
        throw new ArgumentException($"A row was assigned to partition {partition}, outside [0, {partitionCount}); the partitioner and the scatter disagree on R.", "partitionOfRow");

    [DoesNotReturn]
    private static void ThrowLengthMismatch(int rows, int partitionOfRow) =>
        throw new ArgumentException($"{rows} rows need as many partition slots, but {partitionOfRow} were given.", nameof(partitionOfRow));
}
