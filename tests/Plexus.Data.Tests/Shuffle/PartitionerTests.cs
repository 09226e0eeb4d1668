using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

public sealed class PartitionerTests
{
    private const int Partitions = 8;

    [Theory]
    [MemberData(nameof(ShuffleTestData.Sizes), MemberType = typeof(ShuffleTestData))]
    public void HashPartitioningSendsEachKeyToItsHashModRAndKeepsRowOrder(int rows)
    {
        var input = ShuffleTestData.RowsWithDuplicates(rows, distinct: 50);
        var cut = PartitionScatter.Group<(int Key, int Position)>(input, new HashPartitioner<(int Key, int Position), int>(row => row.Key, Partitions));

        for (var r = 0; r < Partitions; r++)
        {
            var expected = input.Where(row => (int)(StableHash.Of(row.Key) % Partitions) == r).ToArray();
            Assert.Equal(expected, RowsOf(input, cut.Partition(r)));
        }
    }

    [Fact]
    public void RangePartitioningSpreadsAKeyHoldingHalfTheRowsAndKeepsRangesOrdered()
    {
        const long Block = 3;
        var input = ShuffleTestData.RowsWithDuplicates(40_000, distinct: 1000);
        for (var i = 0; i < input.Length; i += 2)
        {
            input[i].Key = 77;
        }

        var samples = KeySampler.Sample<(int Key, int Position), int>(input, row => row.Key, count: 2001, Block);

        var boundaries = RangeBoundaries<int>.Pick(samples, Partitions, SortDirection.Ascending);
        var cut = PartitionScatter.Group<(int Key, int Position)>(input, new RangePartitioner<(int Key, int Position), int>(row => row.Key, boundaries, Block));

        var partitionsHoldingTheHotKey = 0;
        for (var r = 0; r < Partitions; r++)
        {
            var partition = RowsOf(input, cut.Partition(r));
            Assert.InRange(partition.Length, input.Length / Partitions / 2, input.Length / Partitions * 2);
            partitionsHoldingTheHotKey += partition.Any(row => row.Key == 77) ? 1 : 0;
            if (r > 0 && cut.Partition(r - 1).Length > 0)
            {
                Assert.True(RowsOf(input, cut.Partition(r - 1)).Max(row => row.Key) <= partition.Min(row => row.Key));
            }
        }

        Assert.True(partitionsHoldingTheHotKey >= Partitions / 2 - 1, $"the hot key is in {partitionsHoldingTheHotKey} partitions");
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(40_000, false)]
    [InlineData(40_000, true)]
    public void RangeCutOfSortedRowsGivesEachRowThePartitionItsOwnSearchGives(int count, bool descending)
    {
        const long Block = 5;
        var direction = descending ? SortDirection.Descending : SortDirection.Ascending;

        // A hot key on half the rows, so several boundaries share it and its rows go by tiebreak.
        var input = ShuffleTestData.RowsWithDuplicates(count, distinct: 500);
        for (var i = 0; i < input.Length; i += 2)
        {
            input[i].Key = 77;
        }

        var samples = KeySampler.Sample<(int Key, int Position), int>(input, row => row.Key, count: 1001, Block);
        var boundaries = RangeBoundaries<int>.Pick(samples, Partitions, direction);
        var order = new int[input.Length];
        BlockSorter<(int Key, int Position), int>.Create(row => row.Key, direction).Order(input, order);

        var each = Assign(new RangePartitioner<(int Key, int Position), int>(row => row.Key, boundaries, Block), input);
        var sorted = new int[input.Length];
        new RangePartitioner<(int Key, int Position), int>(row => row.Key, boundaries, Block).AssignSorted(input, order, sorted);

        Assert.Equal(each, sorted);
        if (count > 1)
        {
            Assert.True(boundaries.Boundaries.ToArray().Count(b => b.Key == 77) > 1, "the test wants boundaries sharing the hot key");
        }
    }

    [Fact]
    public void AKeyThatIsNoBoundarysGetsTheSamePartitionWhateverItsTiebreak()
    {
        var boundaries = new RangeBoundaries<int>([new(10, 5), new(10, 9), new(20, 0), new(30, 7)], SortDirection.Ascending);

        for (var key = 0; key < 40; key++)
        {
            var byKey = boundaries.TryPartitionByKey(key, out var partition);

            Assert.Equal(key is not (10 or 20 or 30), byKey);
            if (byKey)
            {
                Assert.Equal(boundaries.PartitionOf(key, 0), partition);
                Assert.Equal(boundaries.PartitionOf(key, ulong.MaxValue), partition);
            }
        }
    }

    [Fact]
    public void SamplesAreEvenlySpacedRowsWithTheirTiebreaks()
    {
        var rows = Enumerable.Range(0, 100).ToArray();

        var samples = KeySampler.Sample<int, int>(rows, row => row, count: 4, blockIndex: 2, firstRowIndex: 1000);

        Assert.Equal([12, 37, 62, 87], samples.Select(s => s.Key));
        Assert.Equal(RowTiebreak.Of(2, 1012), samples[0].Tiebreak);
        Assert.Equal(rows, KeySampler.Sample<int, int>(rows, row => row, count: 500, blockIndex: 0).Select(s => s.Key));
        Assert.Empty(KeySampler.Sample<int, int>([], row => row, count: 10, blockIndex: 0));
    }

    [Fact]
    public void DescendingRangesRunFromTheLargestKey()
    {
        var samples = Enumerable.Range(0, 100).Select(k => new SampledKey<int>(k, (ulong)k)).ToArray();
        var boundaries = RangeBoundaries<int>.Pick(samples, 4, SortDirection.Descending);

        Assert.Equal([74, 49, 24], boundaries.Boundaries.ToArray().Select(b => b.Key));
        Assert.Equal(0, boundaries.PartitionOf(99, 0));
        Assert.Equal(3, boundaries.PartitionOf(0, 0));
    }

    [Fact]
    public void RangeBoundariesFromNoSamplesSendEverythingToPartitionZero()
    {
        var boundaries = RangeBoundaries<string>.Pick([], Partitions, SortDirection.Ascending);

        Assert.Equal(1, boundaries.PartitionCount);
        Assert.Equal(0, boundaries.PartitionOf("any", 42));
    }

    [Fact]
    public void RangeBoundariesOutOfOrderAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new RangeBoundaries<int>([new(5, 0), new(1, 0)], SortDirection.Ascending));
        Assert.Contains("RangeBoundaries.Pick", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomPartitioningRepeatsPerSeedAndBlockAndIsUniform()
    {
        var rows = new int[100_000];
        var first = Assign(new RandomPartitioner<int>(Partitions, seed: 9, blockIndex: 4), rows);
        var again = Assign(new RandomPartitioner<int>(Partitions, seed: 9, blockIndex: 4), rows);
        var otherBlock = Assign(new RandomPartitioner<int>(Partitions, seed: 9, blockIndex: 5), rows);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherBlock);
        var counts = new long[Partitions];
        foreach (var partition in first)
        {
            counts[partition]++;
        }

        StableHashTests.AssertUniform(counts, rows.Length);
    }

    [Fact]
    public void RandomPartitioningOfABlockInBatchesMatchesOneCall()
    {
        var rows = new int[10_000];
        var whole = Assign(new RandomPartitioner<int>(Partitions, seed: 1, blockIndex: 0), rows);
        var batched = new int[rows.Length];
        var partitioner = new RandomPartitioner<int>(Partitions, seed: 1, blockIndex: 0);
        for (var start = 0; start < rows.Length; start += 4096)
        {
            var length = Math.Min(4096, rows.Length - start);
            partitioner.Assign(rows.AsSpan(start, length), batched.AsSpan(start, length));
        }

        Assert.Equal(whole, batched);
    }

    [Fact]
    public void RoundRobinDealsInTurnStartingAtTheBlocksOffset()
    {
        var assigned = Assign(new RoundRobinPartitioner<int>(3, blockIndex: 4), new int[7]);

        Assert.Equal([1, 2, 0, 1, 2, 0, 1], assigned);
    }

    [Fact]
    public void RowsTakenInAGivenOrderKeepThatOrderWithinEachPartition()
    {
        var input = ShuffleTestData.RowsWithDuplicates(5000, distinct: 50);
        var sorted = Enumerable.Range(0, input.Length).OrderBy(i => input[i].Key).ToArray();

        var cut = PartitionScatter.Group<(int Key, int Position)>(input, new HashPartitioner<(int Key, int Position), int>(row => row.Key, Partitions), sorted);

        for (var r = 0; r < Partitions; r++)
        {
            var expected = sorted.Select(i => input[i]).Where(row => (int)(StableHash.Of(row.Key) % Partitions) == r).ToArray();
            Assert.Equal(expected, RowsOf(input, cut.Partition(r)));
        }
    }

    [Fact]
    public void GroupingRefusesAPartitionOutsideTheRange()
    {
        Assert.Throws<ArgumentException>(() => PartitionScatter.Group<int>([1, 2], new FixedPartitioner([0, 2], partitionCount: 2)));
    }

    [Fact]
    public void GroupingRefusesAnOrderOfAnotherLength()
    {
        Assert.Throws<ArgumentException>(() => PartitionScatter.Group<int>([1, 2], new FixedPartitioner([0, 1], partitionCount: 2), [1]));
    }

    [Fact]
    public void SeededShuffleIsARepeatablePermutation()
    {
        var rows = Enumerable.Range(0, 1000).ToArray();
        var again = rows.ToArray();
        SeededShuffle.Shuffle<int>(rows, seed: 7, partition: 2);
        SeededShuffle.Shuffle<int>(again, seed: 7, partition: 2);

        Assert.Equal(again, rows);
        Assert.NotEqual(Enumerable.Range(0, 1000), rows);
        Assert.Equal(Enumerable.Range(0, 1000), rows.Order());
    }

    private static int[] Assign<T>(IRowPartitioner<T> partitioner, T[] rows)
    {
        var assigned = new int[rows.Length];
        partitioner.Assign(rows, assigned);
        return assigned;
    }

    private static T[] RowsOf<T>(T[] rows, ReadOnlySpan<int> positions)
    {
        var selected = new T[positions.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            selected[i] = rows[positions[i]];
        }

        return selected;
    }

    /// <summary>Gives the partitions it was made with, whatever the rows: to test what the grouping does with them.</summary>
    private sealed class FixedPartitioner(int[] partitions, int partitionCount) : IRowPartitioner<int>
    {
        public int PartitionCount => partitionCount;

        public void Assign(ReadOnlySpan<int> rows, Span<int> partitionOfRow) => partitions.CopyTo(partitionOfRow);
    }
}
