using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plexus.Data.Tests;

/// <summary>A 10-byte key compared by its bytes, with its first 8 as the normalized prefix, as sort records have.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct TenByteKey : INormalizedKey<TenByteKey>, IEquatable<TenByteKey>
{
    private KeyBytes bytes;

    public readonly ulong NormalizedPrefix => BinaryPrimitives.ReadUInt64BigEndian(bytes);

    public static TenByteKey From(ulong seed)
    {
        var key = default(TenByteKey);
        BinaryPrimitives.WriteUInt64BigEndian(key.bytes, seed);
        key.bytes[8] = (byte)(seed >> 3);
        key.bytes[9] = (byte)seed;
        return key;
    }

    public readonly int CompareTo(TenByteKey other) => ((ReadOnlySpan<byte>)bytes).SequenceCompareTo(other.bytes);

    public readonly bool Equals(TenByteKey other) => CompareTo(other) == 0;

    public override readonly bool Equals(object? obj) => obj is TenByteKey other && Equals(other);

    public override readonly int GetHashCode() => NormalizedPrefix.GetHashCode();

    public override readonly string ToString() => Convert.ToHexString(bytes);

    [InlineArray(10)]
    private struct KeyBytes
    {
        private byte first;
    }
}

/// <summary>A fixed-size record with a <see cref="TenByteKey"/>: rows read in place and radix sorted.</summary>
public readonly record struct KeyedRecord(TenByteKey Key, long Id)
{
    /// <summary>Row <paramref name="index"/>'s record: keys from a mixed index, with many duplicate prefixes.</summary>
    public static KeyedRecord Make(long index)
    {
        var mixed = (ulong)index * 0x9E3779B97F4A7C15UL;
        return new KeyedRecord(TenByteKey.From(mixed % 5 == 0 ? mixed & 0xFFFF_0000_0000_00FF : mixed), index);
    }
}
