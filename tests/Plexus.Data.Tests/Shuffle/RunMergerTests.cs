using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

public sealed class RunMergerTests
{
    public static TheoryData<int, int> RunShapes => new()
    {
        { 0, 0 }, { 1, 0 }, { 1, 1 }, { 2, 1 }, { 3, 500 }, { 5, 2000 }, { 8, 1000 }, { 13, 777 },
    };

    [Theory]
    [MemberData(nameof(RunShapes))]
    public void MergingMatchesAStableOrderByOverTheRunsInOrder(int runCount, int maxRowsPerRun)
    {
        var runs = SortedRuns(runCount, maxRowsPerRun, row => row.Key, SortDirection.Ascending);

        AssertMergesLikeLinq(runs, row => row.Key, SortDirection.Ascending);
        AssertMergesLikeLinq(runs, row => new CoarseKey(row.Key), SortDirection.Ascending);
    }

    [Theory]
    [MemberData(nameof(RunShapes))]
    public void DescendingRunsMergeDescending(int runCount, int maxRowsPerRun)
    {
        var runs = SortedRuns(runCount, maxRowsPerRun, row => row.Key, SortDirection.Descending);

        AssertMergesLikeLinq(runs, row => row.Key, SortDirection.Descending);
        AssertMergesLikeLinq(runs, row => new CoarseKey(row.Key), SortDirection.Descending);
    }

    [Fact]
    public void AllEqualKeysComeOutByRunThenPosition()
    {
        var runs = Enumerable.Range(0, 6)
            .Select(r => new ReadOnlyMemory<(int Key, int Position)>(Enumerable.Range(0, 100).Select(i => (Key: 1, Position: (r * 1000) + i)).ToArray()))
            .ToArray();

        AssertMergesLikeLinq(runs, row => new CoarseKey(row.Key), SortDirection.Ascending);
    }

    [Fact]
    public void RecordsMergeIntoASinkInBatches()
    {
        var records = TestRecord.Generate(30_000);
        var sorter = BlockSorter<TestRecord, RecordKey>.Create(record => record.SortKey, SortDirection.Ascending);
        var runs = new ReadOnlyMemory<TestRecord>[4];
        for (var r = 0; r < runs.Length; r++)
        {
            var length = records.Length / runs.Length;
            runs[r] = sorter.Sorted(records.AsSpan(r * length, length));
        }

        var sink = new RecordingSink<TestRecord>();
        RunMerger<TestRecord, RecordKey>.Create(record => record.SortKey, SortDirection.Ascending).Merge(runs, sink);

        var expected = sorter.Sorted(records);
        Assert.Equal(expected.Select(record => record.Position), sink.Rows.Select(record => record.Position));
        Assert.All(sink.BatchSizes, size => Assert.InRange(size, 1, RunMerger<TestRecord, RecordKey>.BatchRows));
    }

    [Fact]
    public void ACursorFillsSmallSpansInOrder()
    {
        var runs = SortedRuns(4, 50, row => row.Key, SortDirection.Ascending);
        var cursor = RunMerger<(int Key, int Position), int>.Create(row => row.Key, SortDirection.Ascending).Open(runs);
        var pulled = new List<(int Key, int Position)>();
        var buffer = new (int Key, int Position)[3];
        int filled;
        while ((filled = cursor.Fill(buffer)) > 0)
        {
            pulled.AddRange(buffer.AsSpan(0, filled));
        }

        Assert.Equal(runs.SelectMany(run => run.ToArray()).OrderBy(row => row.Key), pulled);
        Assert.Equal(0, cursor.RemainingRows);
    }

    [Fact]
    public void AnOutputOfAnotherLengthIsRefused()
    {
        var merger = RunMerger<int, int>.Create(row => row, SortDirection.Ascending);

        Assert.Throws<ArgumentException>(() => merger.Merge([new[] { 1, 2 }, new[] { 3 }], new int[2]));
    }

    private static ReadOnlyMemory<(int Key, int Position)>[] SortedRuns(
        int runCount, int maxRowsPerRun, Func<(int Key, int Position), int> keyOf, SortDirection direction)
    {
        var random = new Random(runCount * 31 + maxRowsPerRun);
        var runs = new ReadOnlyMemory<(int Key, int Position)>[runCount];
        for (var r = 0; r < runCount; r++)
        {
            var rows = ShuffleTestData.RowsWithDuplicates(random.Next(maxRowsPerRun + 1), distinct: 200, seed: r)
                .Select(row => (row.Key, Position: (r * 1_000_000) + row.Position));
            runs[r] = (direction == SortDirection.Ascending ? rows.OrderBy(keyOf) : rows.OrderByDescending(keyOf)).ToArray();
        }

        return runs;
    }

    private static void AssertMergesLikeLinq<TKey>(
        ReadOnlyMemory<(int Key, int Position)>[] runs, Func<(int Key, int Position), TKey> keyOf, SortDirection direction)
    {
        var concatenated = runs.SelectMany(run => run.ToArray()).ToArray();
        var output = new (int Key, int Position)[concatenated.Length];
        RunMerger<(int Key, int Position), TKey>.Create(keyOf, direction).Merge(runs, output.AsSpan());

        var expected = direction == SortDirection.Ascending ? concatenated.OrderBy(keyOf) : concatenated.OrderByDescending(keyOf);
        Assert.Equal(expected, output);
    }
}
