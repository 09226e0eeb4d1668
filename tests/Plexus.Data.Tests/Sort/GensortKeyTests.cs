using Plexus.Samples.Sort;

namespace Plexus.Data.Tests.Sort;

public sealed class GensortKeyTests
{
    [Fact]
    public void KeyOrderIsByteOrder()
    {
        var random = new Random(7);
        var left = new byte[GensortKey.Size];
        var right = new byte[GensortKey.Size];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(left);
            random.NextBytes(right);
            // Most pairs differ in byte 0; make some share a prefix so the later bytes decide.
            var shared = random.Next(GensortKey.Size + 1);
            left.AsSpan(0, shared).CopyTo(right);

            var expected = Math.Sign(left.AsSpan().SequenceCompareTo(right));
            Assert.Equal(expected, Math.Sign(new GensortKey(left).CompareTo(new GensortKey(right))));
        }
    }

    [Fact]
    public void PrefixIsTheFirstEightBytesBigEndian()
    {
        byte[] bytes = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xFF, 0xFF];
        Assert.Equal(0x0102030405060708UL, new GensortKey(bytes).NormalizedPrefix);
    }

    [Fact]
    public void TailDecidesWhenThePrefixesAreEqual()
    {
        byte[] low = [0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xFF];
        byte[] high = [0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00];
        Assert.True(new GensortKey(low) < new GensortKey(high));
        Assert.True(new GensortKey(high) > new GensortKey(low));
        Assert.Equal(0, new GensortKey(low).CompareTo(new GensortKey(low)));
    }

    [Fact]
    public void KeyRoundTripsItsBytes()
    {
        byte[] bytes = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
        var copy = new byte[GensortKey.Size];
        new GensortKey(bytes).CopyTo(copy);
        Assert.Equal(bytes, copy);
        Assert.Equal("09080706050403020100", new GensortKey(bytes).ToString());
    }

    [Fact]
    public void KeyOfWrongLengthIsRefused() =>
        Assert.Throws<ArgumentException>(() => new GensortKey(new byte[9]));
}
