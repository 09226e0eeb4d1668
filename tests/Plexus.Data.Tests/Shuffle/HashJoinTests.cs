using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

public sealed class HashJoinTests
{
    private readonly record struct Left(int Key, int Id);

    private readonly record struct Right(int Key, int Id);

    // Theories take (leftOuter, buildOnLeft) flags: xunit's public test methods cannot take the internal enums.
    public static TheoryData<int, int, bool, bool> Shapes()
    {
        var shapes = new TheoryData<int, int, bool, bool>();
        foreach (var kind in new[] { false, true })
        {
            foreach (var side in new[] { false, true })
            {
                foreach (var (left, right) in new[] { (0, 0), (0, 50), (50, 0), (1, 1), (1000, 200), (200, 1000) })
                {
                    shapes.Add(left, right, kind, side);
                }
            }
        }

        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void JoinsMatchLinqWithDuplicateKeysOnBothSides(int leftRows, int rightRows, bool leftOuter, bool buildOnLeft)
    {
        var lefts = ShuffleTestData.RowsWithDuplicates(leftRows, distinct: 300, seed: 1).Select(row => new Left(row.Key, row.Position)).ToArray();
        var rights = ShuffleTestData.RowsWithDuplicates(rightRows, distinct: 300, seed: 2).Select(row => new Right(row.Key, row.Position)).ToArray();

        AssertJoinsLikeLinq(lefts, rights, KindOf(leftOuter), SideOf(buildOnLeft));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void AKeyHoldingHalfTheRowsJoinsEveryPair(bool leftOuter, bool buildOnLeft)
    {
        var lefts = Enumerable.Range(0, 2000).Select(i => new Left(i % 2 == 0 ? 7 : i + 10_000, i)).ToArray();
        var rights = Enumerable.Range(0, 200).Select(i => new Right(i % 2 == 0 ? 7 : (i * 3) + 10_000, i)).ToArray();

        var output = AssertJoinsLikeLinq(lefts, rights, KindOf(leftOuter), SideOf(buildOnLeft));
        Assert.Equal(1000 * 100, output.Count(pair => pair.Left.Key == 7));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NullKeysMatchNothingButLeftOuterKeepsTheLeftRow(bool buildOnLeft)
    {
        string?[] lefts = ["a", null, "b", "a"];
        string?[] rights = [null, "a", "c"];
        var join = new HashJoin<string?, string?, string, string>(l => l!, r => r!, (l, r) => $"{l ?? "null"}-{r ?? "none"}", JoinKind.LeftOuter);
        var sink = new RecordingSink<string>();

        join.Join([lefts], [rights], SideOf(buildOnLeft), sink);

        Assert.Equal(["a-a", "a-a", "b-none", "null-none"], sink.Rows.Order());
    }

    private static (Left Left, Right Right)[] AssertJoinsLikeLinq(Left[] lefts, Right[] rights, JoinKind kind, JoinSide buildSide)
    {
        var join = new HashJoin<Left, Right, int, (Left Left, Right Right)>(l => l.Key, r => r.Key, (l, r) => (l, r), kind);
        var sink = new RecordingSink<(Left Left, Right Right)>();
        join.Join(InRuns(lefts), InRuns(rights), buildSide, sink);

        var expected = kind == JoinKind.Inner
            ? lefts.Join(rights, l => l.Key, r => r.Key, (l, r) => (l, r)).ToArray()
            : lefts.GroupJoin(rights, l => l.Key, r => r.Key, (l, rs) => (l, rs))
                .SelectMany(g => g.rs.DefaultIfEmpty(), (g, r) => (g.l, r)).ToArray();
        if (buildSide == JoinSide.Right)
        {
            // Building on the right keeps LINQ's order: left rows in order, matches in right order.
            Assert.Equal(expected, sink.Rows);
        }
        else
        {
            Assert.Equal(InCanonicalOrder(expected), InCanonicalOrder(sink.Rows));
        }

        Assert.All(sink.BatchSizes, size => Assert.InRange(size, 1, BatchWriter<(Left, Right)>.BatchRows));
        return [.. sink.Rows];
    }

    private static (Left Left, Right Right)[] InCanonicalOrder(IEnumerable<(Left Left, Right Right)> pairs) =>
        [.. pairs.OrderBy(pair => pair.Left.Id).ThenBy(pair => pair.Right.Id).ThenBy(pair => pair.Right.Key)];

    private static JoinKind KindOf(bool leftOuter) => leftOuter ? JoinKind.LeftOuter : JoinKind.Inner;

    private static JoinSide SideOf(bool buildOnLeft) => buildOnLeft ? JoinSide.Left : JoinSide.Right;

    /// <summary>Splits a side into three runs, as the partition's inputs from three maps.</summary>
    private static ReadOnlyMemory<T>[] InRuns<T>(T[] rows)
    {
        var third = rows.Length / 3;
        return [rows.AsMemory(0, third), rows.AsMemory(third, third), rows.AsMemory(2 * third)];
    }
}
