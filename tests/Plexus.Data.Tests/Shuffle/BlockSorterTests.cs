using System.Runtime.InteropServices;
using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

public sealed class BlockSorterTests
{
    [Theory]
    [MemberData(nameof(ShuffleTestData.Sizes), MemberType = typeof(ShuffleTestData))]
    public void ComparisonSortMatchesAStableOrderByInBothDirections(int rows)
    {
        var input = ShuffleTestData.RowsWithDuplicates(rows, distinct: 100);

        AssertSortsLikeLinq(input, row => row.Key, SortDirection.Ascending);
        AssertSortsLikeLinq(input, row => row.Key, SortDirection.Descending);
    }

    [Theory]
    [MemberData(nameof(ShuffleTestData.Sizes), MemberType = typeof(ShuffleTestData))]
    public void RadixSortMatchesAStableOrderByInBothDirections(int rows)
    {
        var input = ShuffleTestData.RowsWithDuplicates(rows, distinct: 100_000);

        AssertSortsLikeLinq(input, row => new CoarseKey(row.Key), SortDirection.Ascending);
        AssertSortsLikeLinq(input, row => new CoarseKey(row.Key), SortDirection.Descending);
    }

    [Fact]
    public void RadixSortOfABlockOfSpreadOutPrefixesMatchesAStableOrderBy()
    {
        // Enough rows for the 16-bit first digit; a quarter of them share one key.
        var random = new Random(3);
        var input = Enumerable.Range(0, 300_000).Select(i => (Key: random.Next(4) == 0 ? 42L : random.NextInt64(long.MinValue, long.MaxValue), Position: i)).ToArray();

        AssertSortsLikeLinq(input, row => new WideKey(row.Key), SortDirection.Ascending);
        AssertSortsLikeLinq(input, row => new WideKey(row.Key), SortDirection.Descending);
    }

    [Fact]
    public void RadixSortOfABlockOfClusteredPrefixesMatchesAStableOrderBy()
    {
        // Prefixes that agree in their high bits (digits shared by all, passed over) and repeat (runs sorted by key).
        var input = ShuffleTestData.RowsWithDuplicates(300_000, distinct: 1_000_000);

        AssertSortsLikeLinq(input, row => new CoarseKey(row.Key), SortDirection.Ascending);
        AssertSortsLikeLinq(input, row => new WideKey(row.Key), SortDirection.Descending);
    }

    [Fact]
    public void StringKeysSortOrdinallyByTheirComparer()
    {
        var input = ShuffleTestData.RowsWithDuplicates(5000, distinct: 300).Select(row => (Key: $"k{row.Key}", row.Position)).ToArray();

        AssertSortsLikeLinq(input, row => row.Key, SortDirection.Ascending);
    }

    [Fact]
    public void AllEqualKeysKeepInputOrder()
    {
        var input = Enumerable.Range(0, 10_000).Select(i => (Key: 5, Position: i)).ToArray();

        AssertSortsLikeLinq(input, row => new CoarseKey(row.Key), SortDirection.Descending);
        AssertSortsLikeLinq(input, row => row.Key, SortDirection.Ascending);
    }

    [Fact]
    public void RecordsSortByTheirFullTenByteKeysAndGiveTheSameBytesEveryRun()
    {
        var input = TestRecord.Generate(50_000);
        var sorter = BlockSorter<TestRecord, RecordKey>.Create(record => record.SortKey, SortDirection.Ascending);
        var first = sorter.Sorted(input);
        var second = sorter.Sorted(input);

        var expected = input.OrderBy(record => ((ReadOnlySpan<byte>)record.Key).ToArray(), ByteOrder.Instance).ToArray();
        Assert.Equal(expected.Select(record => record.Position), first.Select(record => record.Position));
        Assert.True(MemoryMarshal.AsBytes(first.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(second.AsSpan())));
    }

    [Fact]
    public void APositionsSpanOfAnotherLengthIsRefused()
    {
        var sorter = BlockSorter<int, int>.Create(row => row, SortDirection.Ascending);

        Assert.Throws<ArgumentException>(() => sorter.Order([3, 1, 2], new int[2]));
    }

    private static void AssertSortsLikeLinq<TRow, TKey>(TRow[] input, Func<TRow, TKey> keyOf, SortDirection direction)
    {
        var output = BlockSorter<TRow, TKey>.Create(keyOf, direction).Sorted(input);

        var expected = direction == SortDirection.Ascending ? input.OrderBy(keyOf) : input.OrderByDescending(keyOf);
        Assert.Equal(expected, output);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
