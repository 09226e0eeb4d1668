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
    // Offsets in a record, as gensort's gen_rec writes them (the breaks are in Template).
    private const int RecordNumber = 12;
    private const int Filler = 48;

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

        // The constant bytes first (breaks, and the record number's 16 zero digits), then the rest over them.
        Template.CopyTo(record);

        // The key: the 10 high bytes of the 128 random bits.
        BinaryPrimitives.WriteUInt64BigEndian(record, high);
        BinaryPrimitives.WriteUInt16BigEndian(record[8..], (ushort)(low >> 48));

        // The 128-bit record number as 32 hexadecimal digits; its high 64 bits are zero here.
        WriteHexDigits((ulong)index, record.Slice(RecordNumber + 16, 16));

        // The filler: each of the low 48 random bits' 12 hexadecimal digits, four times.
        Span<byte> digits = stackalloc byte[16];
        WriteHexDigits(low << 16, digits);
        for (var digit = 0; digit < 12; digit++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(record[(Filler + (4 * digit))..], digits[digit] * 0x01010101u);
        }
    }

    // The record's bytes that do not depend on it: gensort's breaks, and '0' for the record number's high half.
    private static ReadOnlySpan<byte> Template =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x11,
        (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0',
        (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0',
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x88, 0x99, 0xAA, 0xBB,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xCC, 0xDD, 0xEE, 0xFF,
    ];

    // The 16 hexadecimal digits of value, most significant first, upper case as gensort's HEX_DIGIT.
    private static void WriteHexDigits(ulong value, Span<byte> destination)
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        Convert.TryToHexString(bytes, destination, out _);
    }
}
