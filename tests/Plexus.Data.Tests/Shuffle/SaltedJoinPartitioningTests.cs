using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

/// <summary>Hot keys found by sampling, spread on one side and copied on the other: partition by partition, the same join as LINQ's.</summary>
public sealed class SaltedJoinPartitioningTests
{
    private const int Partitions = 5;

    private readonly record struct Left(int Key, int Id);

    private readonly record struct Right(int Key, int Id);

    [Fact]
    public void AKeyOnHalfTheRowsIsHotWithTheFanoutItsShareNeeds()
    {
        var rows = Enumerable.Range(0, 6000).Select(i => new Left(i % 2 == 0 ? 7 : i, i)).ToArray();

        var hot = HotKeySampler.Find<Left, int>(rows, l => l.Key, Partitions);

        // Half the rows over five partitions: three partitions hold a sixth each, about an average one's fifth.
        Assert.Equal(new Dictionary<int, int> { [7] = 3 }, hot);
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

        new SaltedHashPartitioner<Left, int>(l => l.Key, Partitions, new Dictionary<int, int> { [7] = 3 }).Assign(rows, assigned);

        var first = StableHash.PartitionOf(StableHash.Of(7), Partitions);
        var expected = Enumerable.Range(0, 3).Select(j => (first + j) % Partitions).Order();
        Assert.Equal(expected, assigned.Distinct().Order());
        Assert.All(assigned.CountBy(p => p), group => Assert.Equal(1000, group.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaltedLeftAndReplicatedRightJoinPerPartitionAsLinqDoes(bool leftOuter)
    {
        // Key 7 on half the left rows (found hot in each of two blocks); keys above 900 have no right row.
        var blocks = new[] { 0, 1 }.Select(b => Enumerable.Range(0, 4000).Select(i => new Left(i % 2 == 0 ? 7 : (i * 7 + b) % 1000, (b * 4000) + i)).ToArray()).ToArray();
        var rights = Enumerable.Range(0, 1800).Select(i => new Right(i % 900, i)).ToArray();
        var kind = leftOuter ? JoinKind.LeftOuter : JoinKind.Inner;

        var hot = new Dictionary<int, int>();
        var leftPartitions = Enumerable.Range(0, Partitions).Select(_ => new List<Left>()).ToArray();
        foreach (var block in blocks)
        {
            var blockHot = HotKeySampler.Find<Left, int>(block, l => l.Key, Partitions);
            foreach (var (key, fanout) in blockHot)
            {
                hot[key] = Math.Max(fanout, hot.GetValueOrDefault(key));
            }

            var cut = PartitionScatter.Group<Left>(block, new SaltedHashPartitioner<Left, int>(l => l.Key, Partitions, blockHot));
            for (var p = 0; p < Partitions; p++)
            {
                foreach (var position in cut.Partition(p))
                {
                    leftPartitions[p].Add(block[position]);
                }
            }
        }

        var rightCut = ReplicatingHashScatter.Group<Right, int>(rights, r => r.Key, Partitions, hot);
        var join = new HashJoin<Left, Right, int, (int Left, int Right)>(l => l.Key, r => r.Key, (l, r) => (l.Id, r.Id), kind);
        var sink = new RecordingSink<(int Left, int Right)>();
        for (var p = 0; p < Partitions; p++)
        {
            var rightRows = rightCut.Partition(p).ToArray().Select(i => rights[i]).ToArray();
            join.Join([leftPartitions[p].ToArray()], [rightRows], JoinBuildSide.Right, sink);
        }

        var lefts = blocks.SelectMany(b => b).ToArray();
        var expected = lefts.GroupJoin(rights, l => l.Key, r => r.Key, (l, rs) => (l, rs))
            .SelectMany(g => leftOuter ? g.rs.DefaultIfEmpty() : g.rs, (g, r) => (g.l.Id, r.Id));
        Assert.Equal(3, hot[7]);
        Assert.Equal(expected.Order(), sink.Rows.Order());
        Assert.True(leftPartitions.Count(p => p.Any(l => l.Key == 7)) > 1);
    }
}
