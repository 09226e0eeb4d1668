using Plexus.Data;

namespace Plexus.ClusterDriver;

/// <summary>A row and the node whose worker produced it.</summary>
internal sealed record Tagged<T>(T Value, string NodeId);

/// <summary>An order of the join scenario; half of them have customer 0.</summary>
internal sealed record DataOrder(long Id, long CustomerId);

/// <summary>A customer of the join scenario.</summary>
internal sealed record DataCustomer(long Id, string Name);

/// <summary>
/// Plexus.Data on the cluster, each result compared in the driver with the same LINQ computation:
/// <c>data-transform</c>, <c>data-node-local DIR</c>, <c>data-read-shared DIR</c>, <c>data-node-death</c>, <c>data-write DIR</c>.
/// </summary>
internal static class DataScenarios
{
    private const int Rows = 30_000;
    private const int Blocks = 12;

    // A map task holds its CPU this long per batch (one batch per block here), so the driver's
    // node fills up and tasks spill to the other nodes instead of all finishing where they start.
    private const int BatchMilliseconds = 300;

    // Per batch of 4096 rows when a node is to be killed while map tasks run.
    private const int DyingBatchMilliseconds = 100;

    /// <summary>
    /// Range→Map→Filter, GroupBy (Count and Sum) with a key on half the rows, OrderBy, a hash Join
    /// with a skewed key, and a broadcast left Join. Prints whether each equals LINQ, its row count, and the nodes that ran map tasks.
    /// </summary>
    public static async Task<object> TransformAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var data = plexus.Data(new DataOptions { ShufflePartitions = 4 });
        var numbers = Enumerable.Range(0, Rows).Select(i => (long)i).ToList();

        var tagged = await data.Range(Rows, Blocks).MapBatches(static batch => SlowlyTag(batch))
            .Map(static t => new Tagged<long>((t.Value * 3) + 1, t.NodeId)).Filter(static t => t.Value % 5 != 0).ToListAsync();
        var transformed = numbers.Select(x => (x * 3) + 1).Where(x => x % 5 != 0).ToList();

        var grouped = data.Range(Rows, Blocks).GroupBy(static x => SkewedKey(x));
        var counts = (await grouped.Count().ToListAsync()).ToDictionary(g => g.Key, g => g.Count);
        var sums = (await grouped.Sum(static x => x).ToListAsync()).ToDictionary(g => g.Key, g => g.Sum);
        var groups = numbers.GroupBy(SkewedKey).ToList();

        // Scrambled keys, all distinct (the multiplier is prime to the count), so the order is one order.
        var ordered = await data.Range(Rows, Blocks).OrderBy(static x => Scrambled(x)).ToListAsync();
        var expectedOrder = numbers.OrderBy(Scrambled).ToList();

        var orders = numbers.Select(i => new DataOrder(i, SkewedKey(i))).ToList();
        var customers = Enumerable.Range(0, 500).Select(i => new DataCustomer(i, $"customer {i}")).ToList();
        var joined = await data.FromItems(orders, Blocks)
            .Join(data.FromItems(customers, 2), static o => o.CustomerId, static c => c.Id, static (o, c) => (o.Id, c!.Name), strategy: JoinStrategy.Hash).ToListAsync();
        var expectedJoin = orders.Join(customers, o => o.CustomerId, c => c.Id, (o, c) => (o.Id, c.Name)).ToList();

        // The customers are small, so they are broadcast: their blocks, put by this driver, are fetched by tasks on other nodes.
        var broadcast = await data.FromItems(orders, Blocks).Filter(static o => o.Id % 3 != 0)
            .Join(data.FromItems(customers.Where(c => c.Id % 2 == 0), 2), static o => o.CustomerId, static c => c.Id,
                static (o, c) => new Tagged<(long, string?)>((o.Id, c?.Name), PlexusRuntime.Current.NodeId), JoinKind.LeftOuter)
            .ToListAsync();
        var expectedBroadcast = orders.Where(o => o.Id % 3 != 0)
            .GroupJoin(customers.Where(c => c.Id % 2 == 0), o => o.CustomerId, c => c.Id, (o, cs) => (o, cs))
            .SelectMany(x => x.cs.DefaultIfEmpty(), (x, c) => (x.o.Id, c?.Name)).ToList();

        return new
        {
            TransformEqual = tagged.Select(t => t.Value).Order().SequenceEqual(transformed.Order()),
            TransformRows = tagged.Count,
            ExpectedTransformRows = transformed.Count,
            MapNodes = tagged.Select(t => t.NodeId).Distinct().Order().ToList(),
            CountEqual = SameEntries(counts, groups.ToDictionary(g => g.Key, g => (long)g.Count())),
            SumEqual = SameEntries(sums, groups.ToDictionary(g => g.Key, g => g.Sum())),
            Groups = counts.Count,
            LargestGroup = counts.Values.DefaultIfEmpty().Max(),
            OrderEqual = ordered.SequenceEqual(expectedOrder),
            OrderRows = ordered.Count,
            JoinEqual = joined.Order().SequenceEqual(expectedJoin.Order()),
            JoinRows = joined.Count,
            ExpectedJoinRows = expectedJoin.Count,
            BroadcastEqual = broadcast.Select(t => t.Value).Order().SequenceEqual(expectedBroadcast.Order()),
            BroadcastNodes = broadcast.Select(t => t.NodeId).Distinct().Order().ToList(),
        };
    }

    /// <summary>
    /// Reads the text files in DIR node-locally, each line tagged with the node that read it; prints
    /// the lines each node read: <c>{"linesByNode": {"NODE": [...]}}</c>.
    /// </summary>
    public static async Task<object> NodeLocalAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var directory = context.Arguments[0];
        var lines = await plexus.Data().ReadText(directory, new FileReadOptions { Locality = Locality.NodeLocal })
            .Map(static line => new Tagged<string>(line, PlexusRuntime.Current.NodeId)).ToListAsync();
        return new { LinesByNode = lines.GroupBy(l => l.NodeId).ToDictionary(g => g.Key, g => g.Select(l => l.Value).Order(StringComparer.Ordinal).ToList()) };
    }

    /// <summary>
    /// Reads the text files in DIR as shared files, each line tagged with the node whose read task
    /// read it (a batch takes a while, so the driver's node fills up and reads spill to the others);
    /// prints the lines each node read: <c>{"linesByNode": {"NODE": [...]}}</c>.
    /// </summary>
    public static async Task<object> ReadSharedAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var directory = context.Arguments[0];
        var lines = await plexus.Data().ReadText(directory, new FileReadOptions { Locality = Locality.Shared })
            .MapBatches(static batch => SlowlyTagLines(batch)).ToListAsync();
        return new { LinesByNode = lines.GroupBy(l => l.NodeId).ToDictionary(g => g.Key, g => g.Select(l => l.Value).Order(StringComparer.Ordinal).ToList()) };
    }

    /// <summary>
    /// A GroupBy/Sum over a Range whose map tasks take a few seconds in all; once a first block is
    /// done the driver writes the file "started" for the test, which then kills a node. Each map
    /// task's output per partition is larger than the inline threshold, so it lives in the store of
    /// the node that ran it: the killed node's finished blocks are lost and must be made again by
    /// lineage, its running tasks run again. Prints whether the sums still equal LINQ, or how the run failed.
    /// </summary>
    public static async Task<object> NodeDeathAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        // 40 blocks of 20 000 rows, 500 ms each: 20 task-seconds of map work on 6 CPUs, seconds in
        // which the test sees the victim busy and kills it. Four rows per key, keys consecutive in a
        // block: 10 000 partial sums per block and partition, some 160 KB, past the 100 KiB inline threshold.
        const int blocks = 40;
        const int rows = 800_000;
        var data = plexus.Data(new DataOptions { ShufflePartitions = 2, Progress = new StartedSignal(Path.Combine(context.Directory, "started")) });
        List<(long Key, long Sum)>? sums = null;
        var failure = await Failure.OfAsync(async () => sums = await data.Range(rows, blocks).MapBatches(static batch => Slowly(batch))
            .GroupBy(static x => QuarterKey(x)).Sum(static x => x).ToListAsync());
        var expected = Enumerable.Range(0, rows).Select(x => (long)x).GroupBy(QuarterKey).ToDictionary(g => g.Key, g => g.Sum());
        return new
        {
            Failure = failure,
            SumEqual = sums is not null && SameEntries(sums.ToDictionary(s => s.Key, s => s.Sum), expected),
            Groups = sums?.Count ?? 0,
        };
    }

    /// <summary>
    /// Writes a dataset as text to DIR (shared by every node), then reads it back. Prints whether
    /// the lines read equal those written, the blocks written, and the files the write reported.
    /// </summary>
    public static async Task<object> WriteAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var directory = context.Arguments[0];
        var data = plexus.Data();
        var written = await data.Range(Rows, Blocks).MapBatches(static batch => SlowlyTag(batch)).Map(static t => $"line {t.Value}")
            .WriteTextAsync(directory, options: new WriteOptions { Locality = Locality.Shared });
        var read = await data.ReadText(directory, new FileReadOptions { Locality = Locality.Shared }).ToListAsync();
        var expected = Enumerable.Range(0, Rows).Select(i => $"line {i}").ToList();
        return new
        {
            ReadEqual = read.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)),
            ReadRows = read.Count,
            WrittenRows = written.Rows,
            Blocks,
            written.Files,
        };
    }

    // Half the rows on key 0, the rest spread over 97 keys (at most 500, so every order joins a customer).
    private static long SkewedKey(long x) => x % 2 == 0 ? 0 : x % 97;

    private static long Scrambled(long x) => x * 7919 % Rows;

    private static long QuarterKey(long x) => x % 200_000;

    private static long[] Slowly(ReadOnlyMemory<long> batch)
    {
        Thread.Sleep(DyingBatchMilliseconds);
        return batch.ToArray();
    }

    private static Tagged<long>[] SlowlyTag(ReadOnlyMemory<long> batch)
    {
        Thread.Sleep(BatchMilliseconds);
        var node = PlexusRuntime.Current.NodeId;
        var rows = new Tagged<long>[batch.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new Tagged<long>(batch.Span[i], node);
        }

        return rows;
    }

    private static Tagged<string>[] SlowlyTagLines(ReadOnlyMemory<string> batch)
    {
        Thread.Sleep(BatchMilliseconds);
        var node = PlexusRuntime.Current.NodeId;
        return [.. batch.ToArray().Select(line => new Tagged<string>(line, node))];
    }

    private static bool SameEntries(IReadOnlyDictionary<long, long> actual, IReadOnlyDictionary<long, long> expected) =>
        actual.Count == expected.Count && expected.All(e => actual.TryGetValue(e.Key, out var value) && value == e.Value);

    /// <summary>Creates a file once any stage has finished a block: the moment the test may act.</summary>
    private sealed class StartedSignal(string file) : IProgress<DataProgress>
    {
        private int _signalled;

        public void Report(DataProgress value)
        {
            if (value.Stages.Any(s => s.BlocksDone > 0) && Interlocked.Exchange(ref _signalled, 1) == 0)
            {
                SharedFiles.Write(file, "");
            }
        }
    }
}
