using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Plexus.Data.Tests.Shuffle;

/// <summary>The 10 key bytes of a <see cref="TestRecord"/>.</summary>
[InlineArray(10)]
internal struct KeyBytes
{
    private byte _first;
}

/// <summary>The 86 payload bytes of a <see cref="TestRecord"/>.</summary>
[InlineArray(86)]
internal struct PayloadBytes
{
    private byte _first;
}

/// <summary>A gensort-like record key: 10 bytes in byte order, its first 8 read big-endian as the prefix.</summary>
internal readonly struct RecordKey(KeyBytes bytes) : INormalizedKey<RecordKey>
{
    private readonly KeyBytes _bytes = bytes;

    public ulong NormalizedPrefix => BinaryPrimitives.ReadUInt64BigEndian(_bytes);

    public int CompareTo(RecordKey other) => ((ReadOnlySpan<byte>)_bytes).SequenceCompareTo(other._bytes);
}

/// <summary>A 100-byte record: a 10-byte key, its position in the generated input, and a payload.</summary>
internal struct TestRecord
{
    public KeyBytes Key;
    public int Position;
    public PayloadBytes Payload;

    public readonly RecordKey SortKey => new(Key);

    /// <summary>
    /// Records whose keys share their first 8 bytes often (few distinct prefixes), so that both the
    /// radix passes and the full-key tiebreaks matter.
    /// </summary>
    public static TestRecord[] Generate(int count, int seed = 7)
    {
        var random = new Random(seed);
        var records = new TestRecord[count];
        for (var i = 0; i < count; i++)
        {
            ref var record = ref records[i];
            BinaryPrimitives.WriteUInt64BigEndian(record.Key, (ulong)random.Next(64) << 40);
            record.Key[8] = (byte)random.Next(4);
            record.Key[9] = (byte)random.Next(256);
            record.Position = i;
            record.Payload[0] = (byte)i;
        }

        return records;
    }
}

/// <summary>An int key whose prefix keeps only the high bits, so many distinct keys share a prefix.</summary>
internal readonly record struct CoarseKey(int Value) : INormalizedKey<CoarseKey>
{
    public ulong NormalizedPrefix => (ulong)((long)Value - int.MinValue) >> 6;

    public int CompareTo(CoarseKey other) => Value.CompareTo(other.Value);
}

/// <summary>A long key whose prefix is the whole value: keys spread over all 64 bits of prefix.</summary>
internal readonly record struct WideKey(long Value) : INormalizedKey<WideKey>
{
    public ulong NormalizedPrefix => (ulong)Value ^ (1UL << 63);

    public int CompareTo(WideKey other) => Value.CompareTo(other.Value);
}
