using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

public sealed class CombinerTests
{
    private const int Partitions = 4;
    private const int Maps = 3;

    public static TheoryData<int, int> Shapes => new() { { 0, 1000 }, { 1, 1000 }, { 20_000, 1000 }, { 20_000, 7 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CombinedThenMergedCountsAndSumsMatchLinqGroupBy(int rows, int maxEntries)
    {
        var input = ShuffleTestData.RowsWithDuplicates(rows, distinct: 500);

        var counts = CombineAndMerge(input, Aggregators.Count<(int Key, int Position)>(), maxEntries);
        var sums = CombineAndMerge(input, Aggregators.Sum<(int Key, int Position)>(row => (long)row.Position), maxEntries);

        Assert.Equal(input.GroupBy(row => row.Key).ToDictionary(g => g.Key, g => (long)g.Count()), counts);
        Assert.Equal(input.GroupBy(row => row.Key).ToDictionary(g => g.Key, g => g.Sum(row => (long)row.Position)), sums);
    }

    [Fact]
    public void MinMaxAndMeanMatchLinqGroupBy()
    {
        var input = ShuffleTestData.RowsWithDuplicates(20_000, distinct: 300);

        var mins = CombineAndMerge(input, Aggregators.Min<(int Key, int Position), int>(row => row.Position % 1000), 1000);
        var maxes = CombineAndMerge(input, Aggregators.Max<(int Key, int Position), int>(row => row.Position % 1000), 1000);
        var means = CombineAndMerge(input, Aggregators.Mean<(int Key, int Position)>(row => row.Position), 1000);

        var groups = input.GroupBy(row => row.Key).ToArray();
        Assert.Equal(groups.ToDictionary(g => g.Key, g => g.Min(row => row.Position % 1000)), mins);
        Assert.Equal(groups.ToDictionary(g => g.Key, g => g.Max(row => row.Position % 1000)), maxes);
        Assert.All(groups, g => Assert.Equal(g.Average(row => row.Position), means[g.Key], 1e-9));
    }

    [Fact]
    public void DoubleSumsRepeatBitForBitAndMatchLinqClosely()
    {
        var random = new Random(3);
        var input = Enumerable.Range(0, 30_000).Select(i => (Key: random.Next(50), Value: random.NextDouble() * 1e6)).ToArray();
        var sum = Aggregators.Sum<(int Key, double Value)>(row => row.Value);

        var first = CombineAndMerge(input, row => row.Key, sum, 1000);
        var second = CombineAndMerge(input, row => row.Key, sum, 1000);

        Assert.Equal(first.ToDictionary(p => p.Key, p => BitConverter.DoubleToInt64Bits(p.Value)), second.ToDictionary(p => p.Key, p => BitConverter.DoubleToInt64Bits(p.Value)));
        Assert.All(input.GroupBy(row => row.Key), g => Assert.Equal(g.Sum(row => row.Value), first[g.Key], 1e-3));
    }

    [Fact]
    public void EachKeyGoesToThePartitionOfItsStableHash()
    {
        var input = ShuffleTestData.RowsWithDuplicates(5000, distinct: 200);
        var sinks = Sinks<int, long>();
        var combiner = Combiner<(int Key, int Position), int, long>.Create(row => row.Key, Aggregators.Count<(int Key, int Position)>(), sinks);
        combiner.Push(input);
        combiner.Complete();

        for (var r = 0; r < Partitions; r++)
        {
            Assert.All(sinks[r].Rows, partial => Assert.Equal(r, StableHash.PartitionOf(StableHash.Of(partial.Key), Partitions)));
            Assert.Equal(sinks[r].Rows.Count, sinks[r].Rows.Select(partial => partial.Key).Distinct().Count());
        }
    }

    [Theory]
    [InlineData(1_500_000, true)]
    [InlineData(100_000, false)]
    public void CombiningStopsWhenKeysBarelyRepeatAndResultsStayRight(int distinct, bool expectPassThrough)
    {
        var input = Enumerable.Range(0, 1_500_000).Select(i => (Key: i % distinct, Position: i)).ToArray();
        var sinks = Sinks<int, long>();
        var combiner = Combiner<(int Key, int Position), int, long>.Create(row => row.Key, Aggregators.Count<(int Key, int Position)>(), sinks);
        for (var start = 0; start < input.Length; start += 4096)
        {
            combiner.Push(input.AsSpan(start, Math.Min(4096, input.Length - start)));
        }

        var emittedBeforeComplete = sinks.Sum(sink => sink.Rows.Count);
        combiner.Complete();

        Assert.Equal(expectPassThrough, emittedBeforeComplete >= Combiner<int, int, long>.ProbeRows);
        var merged = sinks.SelectMany(sink => sink.Rows).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Accumulator));
        Assert.Equal(input.GroupBy(row => row.Key).ToDictionary(g => g.Key, g => (long)g.Count()), merged);
    }

    [Fact]
    public void EachBlockIsProbedAfresh()
    {
        var sinks = Sinks<int, long>();
        var combiner = Combiner<int, int, long>.Create(row => row, Aggregators.Count<int>(), sinks);
        combiner.Push(Enumerable.Range(0, 100_000).ToArray());
        combiner.Complete();
        var emittedForFirstBlock = sinks.Sum(sink => sink.Rows.Count);

        combiner.Push(Enumerable.Range(0, 100_000).Select(i => i % 10).ToArray());

        Assert.Equal(emittedForFirstBlock, sinks.Sum(sink => sink.Rows.Count));
    }

    [Fact]
    public void ANullKeyIsRefusedWithAnExplanation()
    {
        var combiner = Combiner<string, string, long>.Create(row => row, Aggregators.Count<string>(), Sinks<string, long>());

        var error = Assert.Throws<ArgumentException>(() => combiner.Push(new[] { "a", null! }));
        Assert.Contains("must not be null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenCountsEqualTheCombinersCountsOfTheSameWords()
    {
        var words = new[] { "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "THE", "a" };
        var random = new Random(11);
        var text = string.Join(' ', Enumerable.Range(0, 20_000).Select(_ => words[random.Next(words.Length)]));

        var tokenSinks = Sinks<string, long>();
        var counter = new TokenCounter(tokenSinks);
        foreach (var range in text.AsSpan().Split(' '))
        {
            counter.Add(text.AsSpan()[range]);
        }

        counter.Complete();
        var combinerSinks = Sinks<string, long>();
        var combiner = Combiner<string, string, long>.Create(word => word, Aggregators.Count<string>(), combinerSinks);
        combiner.Push(text.Split(' '));
        combiner.Complete();

        for (var r = 0; r < Partitions; r++)
        {
            Assert.Equal(combinerSinks[r].Rows, tokenSinks[r].Rows);
        }

        Assert.Equal(text.Split(' ').GroupBy(w => w).ToDictionary(g => g.Key, g => (long)g.Count()), tokenSinks.SelectMany(s => s.Rows).ToDictionary(p => p.Key, p => p.Accumulator));
    }

    [Fact]
    public void CountingTokensMakesAStringPerDistinctTokenNotPerToken()
    {
        var text = string.Join(' ', Enumerable.Repeat("alpha beta gamma delta", 25_000));
        var counter = new TokenCounter(Sinks<string, long>());
        CountWords(counter, text);
        counter.Complete();

        var before = GC.GetAllocatedBytesForCurrentThread();
        CountWords(counter, text);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 100 000 tokens as strings would take over 3 MB; four new keys and their tables take a few hundred bytes.
        Assert.True(allocated < 16 * 1024, $"counting allocated {allocated} bytes");
    }

    [Fact]
    public void ATokenCountersMemoryIsBoundedPerTaskHoweverManyPartitions()
    {
        var sinks = Enumerable.Range(0, 64).Select(_ => new RecordingSink<(string Key, long Accumulator)>()).ToArray();
        var counter = new TokenCounter(sinks, 10);
        var words = Enumerable.Range(0, 25).Select(i => $"w{i}").ToArray();

        foreach (var word in words)
        {
            counter.Add(word);
        }

        // Twenty of the 25 distinct tokens were emitted on the way, in two tables of ten; five wait for Complete.
        Assert.Equal(20, sinks.Sum(s => s.Rows.Count));
        counter.Complete();
        Assert.Equal(words.Order(), sinks.SelectMany(s => s.Rows).Select(p => p.Key).Order());
        Assert.All(sinks.SelectMany(s => s.Rows), p => Assert.Equal(1, p.Accumulator));
    }

    [Fact]
    public void EmptyInputGivesNoPartialsAndNoResults()
    {
        var sinks = Sinks<int, long>();
        var combiner = Combiner<int, int, long>.Create(row => row, Aggregators.Count<int>(), sinks);
        combiner.Complete();
        var results = new RecordingSink<(int Key, long Value)>();
        new PartialMerger<int, int, long, long>(Aggregators.Count<int>()).Finish(results);

        Assert.All(sinks, sink => Assert.Empty(sink.BatchSizes));
        Assert.Empty(results.BatchSizes);
    }

    [Fact]
    public void MinOfNoRowsHasNoValue()
    {
        var min = Aggregators.Min<int, int>(row => row);

        Assert.Throws<InvalidOperationException>(() => min.Finish(min.Init()));
    }

    private static void CountWords(TokenCounter counter, string text)
    {
        foreach (var range in text.AsSpan().Split(' '))
        {
            counter.Add(text.AsSpan()[range]);
        }
    }

    private static Dictionary<int, TResult> CombineAndMerge<TAcc, TResult>(
        (int Key, int Position)[] input, IAggregator<(int Key, int Position), TAcc, TResult> aggregator, int maxEntries) =>
        CombineAndMerge(input, row => row.Key, aggregator, maxEntries);

    /// <summary>Splits the rows into map blocks, combines each, and merges every partition's partials in map order.</summary>
    private static Dictionary<int, TResult> CombineAndMerge<TRow, TAcc, TResult>(
        TRow[] input, Func<TRow, int> keyOf, IAggregator<TRow, TAcc, TResult> aggregator, int maxEntries)
    {
        var partialsByMap = new List<RecordingSink<(int Key, TAcc Accumulator)>[]>();
        var blockRows = (input.Length + Maps - 1) / Maps;
        for (var start = 0; start < input.Length || partialsByMap.Count == 0; start += blockRows)
        {
            var sinks = Sinks<int, TAcc>();
            var combiner = Combiner<TRow, int, TAcc>.Create(keyOf, aggregator, sinks, maxEntries);
            combiner.Push(input.AsSpan(start, Math.Min(blockRows, input.Length - start)));
            combiner.Complete();
            partialsByMap.Add(sinks);
        }

        var results = new Dictionary<int, TResult>();
        for (var r = 0; r < Partitions; r++)
        {
            var merger = new PartialMerger<TRow, int, TAcc, TResult>(aggregator);
            foreach (var mapSinks in partialsByMap)
            {
                merger.Push(mapSinks[r].Rows.ToArray());
            }

            var output = new RecordingSink<(int Key, TResult Value)>();
            merger.Finish(output);
            foreach (var (key, value) in output.Rows)
            {
                results.Add(key, value);
            }
        }

        return results;
    }

    private static RecordingSink<(TKey Key, TAcc Accumulator)>[] Sinks<TKey, TAcc>() =>
        Enumerable.Range(0, Partitions).Select(_ => new RecordingSink<(TKey Key, TAcc Accumulator)>()).ToArray();
}
