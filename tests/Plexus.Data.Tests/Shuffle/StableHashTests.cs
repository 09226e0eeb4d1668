using System.IO.Hashing;
using System.Runtime.InteropServices;
using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

public sealed class StableHashTests
{
    private sealed record Person(string Name, int Age);

    private sealed class Node
    {
        public int Value;
        public Node? Next;
    }

    private readonly record struct Padded(byte Small, long Large);

    [Fact]
    public void PrimitivesHashTheirLittleEndianBytes()
    {
        Assert.Equal(XxHash3.HashToUInt64([0x2A, 0, 0, 0]), StableHash.Of(42));
        Assert.Equal(XxHash3.HashToUInt64([0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]), StableHash.Of(0x0102030405060708L));
    }

    [Fact]
    public void StringsHashTheirUtf16CodeUnits()
    {
        Assert.Equal(XxHash3.HashToUInt64([(byte)'h', 0, (byte)'i', 0]), StableHash.Of("hi"));
    }

    [Fact]
    public void HashesMatchFixedVectorsSoEveryProcessAgrees()
    {
        // Vectors recorded once: a change here moves keys between partitions in a mixed-version cluster.
        Assert.Equal(0x2132B64814A1AD5DUL, StableHash.Of(42));
        Assert.Equal(0x60CB1EEDC4E2597BUL, StableHash.Of("plexus"));
        Assert.Equal(0xCF53E0F63256932CUL, StableHash.Of(new Person("Ada", 36)));
        Assert.Equal(0xF3C9A06E96351D73UL, StableHash.Of((1, "one")));
    }

    [Fact]
    public void ACharSpanHashesLikeTheEqualString()
    {
        var line = "the quick brown fox".AsSpan();
        Assert.Equal(StableHash.Of("quick"), StableHash.Of(line.Slice(4, 5)));
        Assert.Equal(StableHash.Of(string.Empty), StableHash.Of(ReadOnlySpan<char>.Empty));
    }

    [Fact]
    public void StringKeyAsGenericHashesLikeTheString()
    {
        Assert.Equal(StableHash.Of("word"), StableHash.Of<string>("word"));
        Assert.NotEqual(StableHash.Of(string.Empty), StableHash.Of((string?)null));
    }

    [Fact]
    public void EqualRecordsAndTuplesHashEquallyAndFieldsDoNotAlias()
    {
        Assert.Equal(StableHash.Of(new Person("Ada", 36)), StableHash.Of(new Person(new string("Ada".AsSpan()), 36)));
        Assert.NotEqual(StableHash.Of(new Person("Ada", 36)), StableHash.Of(new Person("Ada", 37)));
        Assert.NotEqual(StableHash.Of(("ab", "c")), StableHash.Of(("a", "bc")));
        Assert.NotEqual(StableHash.Of<Person?>(null), StableHash.Of(new Person(string.Empty, 0)));
    }

    [Fact]
    public void TypesFromOtherAssembliesHashByTheirPrivateFields()
    {
        Assert.Equal(StableHash.Of(Tuple.Create(1, "a")), StableHash.Of(Tuple.Create(1, new string('a', 1))));
        Assert.NotEqual(StableHash.Of(Tuple.Create(1, "a")), StableHash.Of(Tuple.Create(2, "a")));
        Assert.Equal(StableHash.Of(KeyValuePair.Create("k", 1.0)), StableHash.Of(KeyValuePair.Create("k", 1.0)));
        Assert.NotEqual(StableHash.Of(KeyValuePair.Create("k", 1.0)), StableHash.Of(KeyValuePair.Create("k", 2.0)));
    }

    [Fact]
    public void EqualFloatingPointAndDecimalValuesHashEqually()
    {
        Assert.Equal(StableHash.Of(0.0), StableHash.Of(-0.0));
        Assert.Equal(StableHash.Of(double.NaN), StableHash.Of(BitConverter.UInt64BitsToDouble(0x7FF0_0000_0000_0001UL)));
        Assert.Equal(StableHash.Of(0f), StableHash.Of(-0f));
        Assert.Equal(StableHash.Of(1.0m), StableHash.Of(1.00m));
        Assert.Equal(StableHash.Of((1.5, 0.0)), StableHash.Of((1.5, -0.0)));
        Assert.NotEqual(StableHash.Of(1.0), StableHash.Of(2.0));
    }

    [Fact]
    public void EqualDatesHashEquallyWhateverTheirKindOrOffset()
    {
        var instant = new DateTime(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc);
        Assert.Equal(StableHash.Of(instant), StableHash.Of(DateTime.SpecifyKind(instant, DateTimeKind.Local)));
        Assert.Equal(
            StableHash.Of(new DateTimeOffset(instant)),
            StableHash.Of(new DateTimeOffset(instant.AddHours(2).Ticks, TimeSpan.FromHours(2))));
        Assert.Equal(StableHash.Of((instant, 1L)), StableHash.Of((DateTime.SpecifyKind(instant, DateTimeKind.Unspecified), 1L)));
    }

    [Fact]
    public void StructsWithPaddingHashByFieldsNotByBytes()
    {
        var clean = new Padded(1, 2);
        var dirty = clean;
        // Writes garbage into the padding between the byte and the long, as a copy may leave it.
        MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref dirty, 1))[3] = 0xFF;
        Assert.Equal(clean, dirty);
        Assert.Equal(StableHash.Of(clean), StableHash.Of(dirty));
    }

    [Fact]
    public void ByteStableStructsHashTheirBytes()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        Assert.Equal(XxHash3.HashToUInt64(guid.ToByteArray()), StableHash.Of(guid));
    }

    [Fact]
    public void NullablesSelfReferencingClassesAndShapelessKeysHash()
    {
        Assert.NotEqual(StableHash.Of<int?>(null), StableHash.Of<int?>(0));
        Assert.Equal(StableHash.Of<int?>(5), StableHash.Of<int?>(5));
        var list = new Node { Value = 1, Next = new Node { Value = 2 } };
        var same = new Node { Value = 1, Next = new Node { Value = 2 } };
        Assert.Equal(StableHash.Of(list), StableHash.Of(same));
        Assert.Equal(StableHash.Of<object>(new[] { 1, 2, 3 }), StableHash.Of<object>(new[] { 1, 2, 3 }));
        Assert.NotEqual(StableHash.Of<object>(new[] { 1, 2, 3 }), StableHash.Of<object>(new[] { 1, 2, 4 }));
    }

    [Fact]
    public void HashModPartitionsSpreadsAMillionKeysUniformly()
    {
        const int Keys = 1_000_000;
        foreach (var partitions in new[] { 7, 64, 1000 })
        {
            var counts = new long[partitions];
            for (var i = 0; i < Keys; i++)
            {
                counts[StableHash.PartitionOf(StableHash.Of(i), partitions)]++;
            }

            AssertUniform(counts, Keys);
        }
    }

    [Fact]
    public void StringKeysSpreadUniformly()
    {
        const int Keys = 1_000_000;
        const int Partitions = 128;
        var counts = new long[Partitions];
        Span<char> buffer = stackalloc char[16];
        for (var i = 0; i < Keys; i++)
        {
            i.TryFormat(buffer, out var written);
            counts[StableHash.PartitionOf(StableHash.Of(buffer[..written]), Partitions)]++;
        }

        AssertUniform(counts, Keys);
    }

    /// <summary>
    /// Chi-square with R-1 degrees of freedom has mean R-1 and deviation sqrt(2(R-1)); 6 deviations
    /// above the mean fails a truly uniform hash with probability far below one in a million.
    /// </summary>
    internal static void AssertUniform(long[] counts, long total)
    {
        var expected = (double)total / counts.Length;
        var chiSquare = 0.0;
        foreach (var count in counts)
        {
            chiSquare += (count - expected) * (count - expected) / expected;
        }

        var bound = counts.Length - 1 + (6 * Math.Sqrt(2.0 * (counts.Length - 1)));
        Assert.True(chiSquare < bound, $"chi-square {chiSquare:F1} over {counts.Length} partitions, bound {bound:F1}");
    }
}
