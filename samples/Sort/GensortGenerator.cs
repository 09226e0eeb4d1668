using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Plexus.Samples.Sort;

/// <summary>
/// Makes <see cref="GensortRecord"/>s in gensort's binary layout: record <c>i</c>'s key and filler
/// come from <see cref="RecordRandom"/>'s bits for <c>i</c>, its payload carries <c>i</c> in
/// hexadecimal. The layout is gensort's byte for byte; the random sequence is not (gensort uses a
/// 128-bit linear congruential generator), so files are gensort-shaped but not gensort's files.
/// </summary>
internal static class GensortGenerator
{
    // Offsets in a record, as gensort's gen_rec writes them.
    private const int FirstBreak = 10;
    private const int RecordNumber = 12;
    private const int SecondBreak = 44;
    private const int Filler = 48;
    private const int LastBreak = 96;

    /// <summary>
    /// Writes records <paramref name="firstRecord"/> .. <paramref name="firstRecord"/> + rows.Length - 1
    /// of the data set named by <paramref name="seed"/> into <paramref name="rows"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstRecord"/> is negative.</exception>
    public static void Fill(long firstRecord, Span<GensortRecord> rows, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRecord);
        var bytes = MemoryMarshal.AsBytes(rows);
        for (var i = 0; i < rows.Length; i++)
        {
            Write(bytes.Slice(i * GensortRecord.Size, GensortRecord.Size), firstRecord + i, seed);
        }
    }

    private static void Write(Span<byte> record, long index, ulong seed)
    {
        var (high, low) = RecordRandom.Of(seed, index);

        // The key: the 10 high bytes of the 128 random bits.
        BinaryPrimitives.WriteUInt64BigEndian(record, high);
        BinaryPrimitives.WriteUInt16BigEndian(record[8..], (ushort)(low >> 48));

        record[FirstBreak] = 0x00;
        record[FirstBreak + 1] = 0x11;

        // The 128-bit record number as 32 hexadecimal digits; its high 64 bits are zero here.
        record.Slice(RecordNumber, 16).Fill((byte)'0');
        for (var digit = 0; digit < 16; digit++)
        {
            record[RecordNumber + 16 + digit] = Hex((ulong)index >> (60 - (4 * digit)));
        }

        record[SecondBreak] = 0x88;
        record[SecondBreak + 1] = 0x99;
        record[SecondBreak + 2] = 0xAA;
        record[SecondBreak + 3] = 0xBB;

        // The filler: each of the low 48 random bits' 12 hexadecimal digits, four times.
        for (var digit = 0; digit < 12; digit++)
        {
            record.Slice(Filler + (4 * digit), 4).Fill(Hex(low >> (44 - (4 * digit))));
        }

        record[LastBreak] = 0xCC;
        record[LastBreak + 1] = 0xDD;
        record[LastBreak + 2] = 0xEE;
        record[LastBreak + 3] = 0xFF;
    }

    // The low 4 bits of value as an upper-case hexadecimal digit, as gensort's HEX_DIGIT.
    private static byte Hex(ulong value)
    {
        var nibble = (byte)(value & 0xF);
        return (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
    }
}
