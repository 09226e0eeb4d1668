using System.Buffers.Binary;
using System.IO.Hashing;

namespace Plexus.Data.Shuffle;

/// <summary>
/// A pseudo-random tiebreak for a row, from its block and position: the sort's sample task and its
/// map task compute the same value for the same row, so equal keys are spread across range
/// partitions by it, and a key holding half the rows does not land in one partition.
/// </summary>
internal static class RowTiebreak
{
    public static ulong Of(long blockIndex, long rowIndex)
    {
        Span<byte> position = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(position, blockIndex);
        BinaryPrimitives.WriteInt64LittleEndian(position[8..], rowIndex);
        return XxHash3.HashToUInt64(position);
    }
}
