using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Plexus.Samples.Sort;

/// <summary>
/// What a set of records holds, whatever their order: how many, and the sums (mod 2^64) of the
/// XxHash64 of each key and of each whole record. Sums do not depend on order, so the checksum of
/// the generated input equals the sorted output's exactly when the sort lost, added and changed
/// nothing; and checksums of parts add up to the whole's, so tasks can each sum their own range.
/// </summary>
/// <param name="Records">How many records.</param>
/// <param name="KeySum">The sum of the XxHash64 of each record's 10-byte key.</param>
/// <param name="RecordSum">The sum of the XxHash64 of each whole 100-byte record.</param>
internal readonly record struct RecordChecksum(long Records, ulong KeySum, ulong RecordSum)
{
    /// <summary>The checksum of <paramref name="rows"/>.</summary>
    public static RecordChecksum Of(ReadOnlySpan<GensortRecord> rows)
    {
        var bytes = MemoryMarshal.AsBytes(rows);
        ulong keys = 0;
        ulong records = 0;
        for (var at = 0; at < bytes.Length; at += GensortRecord.Size)
        {
            keys = unchecked(keys + XxHash64.HashToUInt64(bytes.Slice(at, GensortKey.Size)));
            records = unchecked(records + XxHash64.HashToUInt64(bytes.Slice(at, GensortRecord.Size)));
        }

        return new RecordChecksum(rows.Length, keys, records);
    }

    /// <summary>The checksum of both sets of records together.</summary>
    public static RecordChecksum operator +(RecordChecksum left, RecordChecksum right) =>
        new(left.Records + right.Records, unchecked(left.KeySum + right.KeySum), unchecked(left.RecordSum + right.RecordSum));

    /// <summary>The checksum as valsort-like text: the count, then both sums in hexadecimal.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Records:N0} records, keys {KeySum:x16}, records {RecordSum:x16}");
}
