using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

/// <summary>Hot keys found by sampling, spread on the side with more of their rows and copied on the other: partition by partition, the same join as LINQ's.</summary>
public sealed class SaltedJoinPartitioningTests
{
    private const int Partitions = 5;

    private readonly record struct Left(int Key, int Id);

    private readonly record struct Right(int Key, int Id);

    [Fact]
    public void AKeyOnHalfTheRowsIsHotWithTheFanoutItsShareNeeds()
    {
        var rows = Enumerable.Range(0, 6000).Select(i => new Left(i % 2 == 0 ? 7 : i, i)).ToArray();

        var hot = Assert.Single(HotKeySampler.Find<Left, int>(rows, l => l.Key, Partitions));

        // Half the rows over five partitions: three partitions hold a sixth each, about an average one's fifth.
        Assert.Equal((7, 3), (hot.Key, hot.Fanout));
        Assert.InRange(hot.Rows, 2900, 3100);
    }

    [Fact]
    public void EvenlySpreadKeysAreNotHot()
    {
        var rows = Enumerable.Range(0, 6000).Select(i => new Left(i % 50, i)).ToArray();

        Assert.Empty(HotKeySampler.Find<Left, int>(rows, l => l.Key, Partitions));
        Assert.Empty(HotKeySampler.Find<Left, int>(rows, l => 7, partitions: 1));
    }

    [Fact]
    public void AHotKeysRowsGoToSeveralPartitionsRoundRobin()
    {
        var rows = Enumerable.Range(0, 3000).Select(i => new Left(7, i)).ToArray();
        var assigned = new int[rows.Length];

        new SaltedHashPartitioner<Left, int>(l => l.Key, Partitions, [new HotKey<int>(7, 3, 3000)]).Assign(rows, assigned);

        var first = StableHash.PartitionOf(StableHash.Of(7), Partitions);
        var expected = Enumerable.Range(0, 3).Select(j => (first + j) % Partitions).Order();
        Assert.Equal(expected, assigned.Distinct().Order());
        Assert.All(assigned.CountBy(p => p), group => Assert.Equal(1000, group.Value));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void EveryMatchingPairMeetsInExactlyOneReduce(bool hotOnLeft, bool hotOnRight)
    {
        // Key 7 on half the rows of each side it is hot on (the right has more of it when hot on both),
        // on a few rows of a side it is not hot on; each side mapped in two blocks.
        var lefts = Blocks(2, 1200, i => hotOnLeft && i % 2 == 0 ? 7 : i % 150 == 1 ? 7 : i % 1000, (k, id) => new Left(k, id));
        var rights = Blocks(2, hotOnLeft && hotOnRight ? 3000 : 1200, i => hotOnRight && i % 2 == 0 ? 7 : i % 150 == 1 ? 7 : i % 900, (k, id) => new Right(k, id));
        var (leftPartitions, leftHot) = Map(lefts, l => l.Key);
        var (rightPartitions, rightHot) = Map(rights, r => r.Key);

        var skew = JoinSkew<int>.Settle(leftHot, rightHot, Partitions);

        var met = new Dictionary<(int Left, int Right), int>();
        var reducesWithTheKey = 0;
        for (var p = 0; p < Partitions; p++)
        {
            var keptLefts = Kept(leftPartitions, skew.PartitionsRead(JoinSide.Left, p), l => l.Key, JoinSide.Left, skew, p);
            var keptRights = Kept(rightPartitions, skew.PartitionsRead(JoinSide.Right, p), r => r.Key, JoinSide.Right, skew, p);
            reducesWithTheKey += keptLefts.Any(l => l.Key == 7) && keptRights.Any(r => r.Key == 7) ? 1 : 0;
            foreach (var pair in keptLefts.Join(keptRights, l => l.Key, r => r.Key, (l, r) => (l.Id, r.Id)))
            {
                met[pair] = met.GetValueOrDefault(pair) + 1;
            }
        }

        var expected = lefts.SelectMany(b => b).Join(rights.SelectMany(b => b), l => l.Key, r => r.Key, (l, r) => (l.Id, r.Id)).ToList();
        Assert.Equal(expected.Order(), met.Keys.Order());
        Assert.All(met.Values, count => Assert.Equal(1, count));
        Assert.True(reducesWithTheKey > 1, $"key 7 met in {reducesWithTheKey} reduce(s)");
        Assert.True(skew.IsSpreadOn(hotOnRight ? JoinSide.Right : JoinSide.Left, 7), "spread on the side with more of its rows");
    }

    private static T[][] Blocks<T>(int blocks, int rowsPerBlock, Func<int, int> keyOf, Func<int, int, T> row) =>
        [.. Enumerable.Range(0, blocks).Select(b => Enumerable.Range(0, rowsPerBlock).Select(i => row(keyOf(i), (b * rowsPerBlock) + i)).ToArray())];

    /// <summary>Each block cut as a join's map cuts it: its partitions' rows (in map order), and every map's hot keys.</summary>
    private static (List<T>[] Partitions, List<HotKey<int>> Hot) Map<T>(T[][] blocks, Func<T, int> keyOf)
    {
        var partitions = Enumerable.Range(0, Partitions).Select(_ => new List<T>()).ToArray();
        var hot = new List<HotKey<int>>();
        foreach (var block in blocks)
        {
            var blockHot = HotKeySampler.Find<T, int>(block, keyOf, Partitions);
            hot.AddRange(blockHot);
            var cut = PartitionScatter.Group<T>(block, new SaltedHashPartitioner<T, int>(keyOf, Partitions, blockHot));
            for (var p = 0; p < Partitions; p++)
            {
                foreach (var position in cut.Partition(p))
                {
                    partitions[p].Add(block[position]);
                }
            }
        }

        return (partitions, hot);
    }

    private static List<T> Kept<T>(List<T>[] partitions, int[] read, Func<T, int> keyOf, JoinSide side, JoinSkew<int> skew, int partition) =>
        [.. read.SelectMany(q => partitions[q].Where(row => skew.Keeps(side, keyOf(row), q, partition)))];
}
