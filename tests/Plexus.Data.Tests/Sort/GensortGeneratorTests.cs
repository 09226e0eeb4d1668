using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Plexus.Samples.Sort;

namespace Plexus.Data.Tests.Sort;

public sealed class GensortGeneratorTests
{
    private const ulong Seed = 42;

    [Fact]
    public void RecordIsOneHundredBytesWithTheKeyFirst()
    {
        Assert.Equal(100, Marshal.SizeOf<GensortRecord>());
        Assert.Equal(10, Marshal.SizeOf<GensortKey>());
        var rows = new GensortRecord[1];
        GensortGenerator.Fill(7, rows, Seed);

        var bytes = MemoryMarshal.AsBytes(rows.AsSpan());
        Span<byte> key = stackalloc byte[GensortKey.Size];
        rows[0].Key.CopyTo(key);
        Assert.True(key.SequenceEqual(bytes[..10]));
        Assert.Equal(rows[0].Payload[0], bytes[10]);
        Assert.Equal(rows[0].Payload[89], bytes[99]);
    }

    [Fact]
    public void SameSeedAndIndexMakeTheSameBytes()
    {
        var first = new GensortRecord[100];
        var second = new GensortRecord[100];
        GensortGenerator.Fill(1_000_000, first, Seed);
        GensortGenerator.Fill(1_000_000, second, Seed);

        Assert.True(Bytes(first).SequenceEqual(Bytes(second)));
    }

    [Fact]
    public void AnotherSeedMakesOtherKeys()
    {
        var first = new GensortRecord[100];
        var second = new GensortRecord[100];
        GensortGenerator.Fill(0, first, Seed);
        GensortGenerator.Fill(0, second, Seed + 1);

        Assert.All(Enumerable.Range(0, 100), i => Assert.NotEqual(first[i].Key, second[i].Key));
    }

    [Fact]
    public void RangesMadeSeparatelyEqualTheRangeMadeWhole()
    {
        var whole = new GensortRecord[1000];
        GensortGenerator.Fill(500, whole, Seed);

        var parts = new GensortRecord[1000];
        GensortGenerator.Fill(500 + 700, parts.AsSpan(700), Seed);
        GensortGenerator.Fill(500, parts.AsSpan(0, 1), Seed);
        GensortGenerator.Fill(500 + 1, parts.AsSpan(1, 699), Seed);

        Assert.True(Bytes(whole).SequenceEqual(Bytes(parts)));
    }

    [Fact]
    public void PayloadFollowsGensortsBinaryLayout()
    {
        var rows = new GensortRecord[1];
        GensortGenerator.Fill(0x1234_ABCD, rows, Seed);
        var record = Bytes(rows);

        Assert.Equal([0x00, 0x11], record[10..12].ToArray());
        Assert.Equal("000000000000000000000000" + "1234ABCD", Encoding.ASCII.GetString(record[12..44]));
        Assert.Equal([0x88, 0x99, 0xAA, 0xBB], record[44..48].ToArray());
        for (var at = 48; at < 96; at += 4)
        {
            Assert.True(Uri.IsHexDigit((char)record[at]));
            Assert.Equal([record[at], record[at], record[at], record[at]], record[at..(at + 4)].ToArray());
        }

        Assert.Equal([0xCC, 0xDD, 0xEE, 0xFF], record[96..100].ToArray());
    }

    [Theory]
    [InlineData(0L, 10_000, "33990EF2B8800A42A7DBEAF58BE6F80FDC3F641046D0C93528630F0CCBA9EB86")]
    [InlineData(0x7FFF_FFFF_FFFF_F000L, 4096, "0511EA11576562CC7F162DA812BCAD7DB27DF6C1C1105E0E5217E1A15AF4D61C")]
    [InlineData(0x0123_4567_89AB_CDEFL, 1000, "C7C395E807312C647E94CBBB15EEE5AFEA8AD82685A3707061CE6E25C270C92C")]
    public void ASeedsRecordsAreTheBytesTheyHaveAlwaysBeen(long firstRecord, int count, string sha256)
    {
        // Digests of the data sets as first generated: files written by earlier versions stay valid inputs.
        var rows = new GensortRecord[count];
        GensortGenerator.Fill(firstRecord, rows, Seed);

        Assert.Equal(sha256, Convert.ToHexString(SHA256.HashData(Bytes(rows))));
    }

    [Fact]
    public void NegativeFirstRecordIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GensortGenerator.Fill(-1, new GensortRecord[1], Seed));

    private static ReadOnlySpan<byte> Bytes(GensortRecord[] rows) => MemoryMarshal.AsBytes(rows.AsSpan());
}
