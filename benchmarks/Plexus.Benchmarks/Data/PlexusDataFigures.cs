using System.Diagnostics;
using Plexus.Data;
using Plexus.Samples.Sort;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// Plexus.Data's figures of the data suite, each on its own embedded cluster with every core: a
/// warm-up, then the median of three runs (one for the out-of-core sort). Each run's summary goes
/// to stderr, to show where the time went.
/// </summary>
/// <remarks>
/// The sort's and the word count's warm-ups cut their input into blocks of <see cref="WarmUpBlockBytes"/>,
/// some two hundred tasks: the runtime's per-task code in the driver, the node and the workers runs
/// once or a few times per task, and tiered compilation re-compiles a method only after 30 calls,
/// twice (instrumented, then optimized). After a warm-up of a few tasks the JIT was still compiling
/// through the timed runs, on the two CPUs the figures are measured on.
/// </remarks>
internal static class PlexusDataFigures
{
    private const ulong Seed = 20261128;
    private const long WarmUpBlockBytes = 1L << 20;

    /// <summary><c>sort_2gib_gigabytes</c>: gensort records made by tasks and sorted, end to end.</summary>
    public static async Task<double> SortInMemoryAsync(long bytes)
    {
        var records = bytes / GensortRecord.Size;
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { StoreCapacity = 4 * bytes });
        var data = plexus.Data(Options());
        var warmUp = plexus.Data(Options() with { TargetBlockBytes = WarmUpBlockBytes });
        return bytes / 1e9 / await MedianSecondsAsync(() => Sort(warmUp, records / 32), () => Sort(data, records), records);

        static Task<long> Sort(DataContext data, long records) =>
            data.Generate<GensortRecord>(records, GenerateRecords).OrderBy(static r => r.Key).CountAsync();
    }

    /// <summary>
    /// <c>sort_out_of_core_gigabytes</c>: gensort files (written beforehand, not timed) read, sorted
    /// through a store a quarter of their size, and written.
    /// </summary>
    public static async Task<double> SortOutOfCoreAsync(long bytes, long storeBytes)
    {
        var folder = Directory.CreateTempSubdirectory("plexus-bench-out-of-core-");
        try
        {
            var input = Path.Combine(folder.FullName, "input");
            GensortFiles.Write(input, bytes / GensortRecord.Size, 256L << 20, Seed, CancellationToken.None);
            await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions
            {
                StoreCapacity = storeBytes,
                SpillDirectory = Path.Combine(folder.FullName, "spill"),
            });
            var data = plexus.Data(Options());
            var clock = Stopwatch.StartNew();
            var written = await data.ReadRecords<GensortRecord>(input).OrderBy(static r => r.Key).WriteRecordsAsync(Path.Combine(folder.FullName, "output"));
            var seconds = clock.Elapsed.TotalSeconds;
            Check(written.Rows, bytes / GensortRecord.Size);
            return bytes / 1e9 / seconds;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// <c>groupby_rows_per_second</c>: 10 M rows (100 K keys), made by tasks and kept in the store
    /// first (not timed, as the limit's rows are made before its loop), summed per key.
    /// </summary>
    public static async Task<double> GroupByAsync()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync();
        var data = plexus.Data(Options());
        using var rows = await data.Generate<KeyedRow>(GroupByLimit.Rows, GenerateKeyedRows).MaterializeAsync();
        return GroupByLimit.Rows / await MedianSecondsAsync(() => Sums(rows.Dataset), () => Sums(rows.Dataset), GroupByLimit.Keys);

        static Task<long> Sums(Dataset<KeyedRow> rows) => rows.GroupBy(static r => r.Key).Sum(static r => r.Value).CountAsync();
    }

    /// <summary>
    /// <c>join_rows_per_second</c> (<see cref="JoinStrategy.Hash"/>: both sides shuffled) and
    /// <c>broadcast_join_rows_per_second</c> (<see cref="JoinStrategy.Broadcast"/>: the build side's
    /// blocks sent to every probe task, the probe side not shuffled): 10 M probe rows joined with 1 M
    /// build rows of unique keys, both made by tasks and kept in the store first (not timed).
    /// </summary>
    public static async Task<double> JoinAsync(JoinStrategy strategy)
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync();
        var data = plexus.Data(Options());
        using var probe = await data.Generate<KeyedRow>(JoinLimit.ProbeRows, GenerateProbeRows).MaterializeAsync();
        using var build = await data.Range(JoinLimit.BuildRows).MaterializeAsync();
        var rows = JoinLimit.ProbeRows + JoinLimit.BuildRows;
        return rows / await MedianSecondsAsync(() => Join(probe.Dataset, build.Dataset, strategy), () => Join(probe.Dataset, build.Dataset, strategy), JoinLimit.ProbeRows);

        static Task<long> Join(Dataset<KeyedRow> probe, Dataset<long> build, JoinStrategy strategy) =>
            probe.Join(build, static p => (long)p.Key, static b => b, static (p, b) => p.Value + b, strategy: strategy).CountAsync();
    }

    /// <summary>
    /// <c>wordcount_megabytes_per_second</c>: the corpus's lines read by tasks, split into lower-case
    /// ASCII words as the limit's loop does, and counted per word as spans where they are read
    /// (<c>CountTokens</c>), then added per word across tasks.
    /// </summary>
    public static async Task<double> WordCountAsync(string corpus, long expectedWords)
    {
        var megabytes = new FileInfo(corpus).Length / 1e6;
        await using var plexus = await PlexusRuntime.StartLocalAsync();
        var data = plexus.Data(Options());
        var warmUp = plexus.Data(Options() with { TargetBlockBytes = WarmUpBlockBytes });
        return megabytes / await MedianSecondsAsync(() => Count(warmUp, corpus), () => Count(data, corpus), expectedWords);

        static Task<long> Count(DataContext data, string corpus) =>
            data.ReadText(corpus).CountTokens(AsciiWords.Tokenize).CountAsync();
    }

    private static DataOptions Options() => new() { TargetBlockBytes = 64L << 20, Progress = new SummaryToStandardError() };

    private static async Task<double> MedianSecondsAsync(Func<Task<long>> warmUp, Func<Task<long>> run, long expected)
    {
        await warmUp();
        var seconds = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            Check(await run(), expected);
            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        seconds.Sort();
        return seconds[1];
    }

    private static void Check(long actual, long expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"The run gave {actual} rows instead of {expected}: the figure would measure a wrong computation.");
        }
    }

    private static void GenerateRecords(long firstRecord, Span<GensortRecord> rows) => GensortGenerator.Fill(firstRecord, rows, Seed);

    private static void GenerateKeyedRows(long firstRow, Span<KeyedRow> rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            var index = firstRow + i;
            rows[i] = new KeyedRow((int)(RecordRandom.Of(5, index).High % GroupByLimit.Keys), index);
        }
    }

    private static void GenerateProbeRows(long firstRow, Span<KeyedRow> rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            var index = firstRow + i;
            rows[i] = new KeyedRow((int)(RecordRandom.Of(7, index).High % JoinLimit.BuildRows), index);
        }
    }

    private sealed class SummaryToStandardError : IProgress<DataProgress>
    {
        public void Report(DataProgress value)
        {
            if (value.Summary is { } summary)
            {
                Console.Error.WriteLine(summary);
            }
        }
    }
}
