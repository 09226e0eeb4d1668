using System.Diagnostics;
using Plexus.Benchmarks.Micro;
using Plexus.Data;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// The data suite: the limits that Plexus.Data's figures are divided by, measured in the same run
/// (single-thread loops of the same work times the cores, and the out-of-core sort's disk bound),
/// then Dask's figures, last, when no Plexus cluster is left running. Progress goes to stderr;
/// the flat JSON to stdout and to the <c>--out</c> file.
/// </summary>
internal static class DataSuite
{
    public const string TokenizeLimitName = "limit_tokenize_megabytes";
    public const string GroupByLimitName = "limit_groupby_rows_per_second";
    public const string JoinLimitName = "limit_join_rows_per_second";
    public const string SortLimitName = "limit_sort_gigabytes";
    public const string OutOfCoreSortLimitName = "limit_out_of_core_sort_gigabytes";
    public const string OutOfCoreSortSyncedLimitName = "limit_out_of_core_sort_synced_gigabytes";
    public const string SortFigureName = "sort_2gib_gigabytes";
    public const string OutOfCoreSortFigureName = "sort_out_of_core_gigabytes";
    public const string GroupByFigureName = "groupby_rows_per_second";
    public const string JoinFigureName = "join_rows_per_second";
    public const string BroadcastJoinFigureName = "broadcast_join_rows_per_second";
    public const string WordCountFigureName = "wordcount_megabytes_per_second";

    // The limits that need no corpus, in the order they run.
    private static readonly (string Name, Func<double> Measure)[] ComputeLimits =
    [
        (GroupByLimitName, GroupByLimit.Measure),
        (JoinLimitName, JoinLimit.Measure),
        (SortLimitName, SortLimit.Measure),
    ];

    private static readonly string[] Names =
    [
        TokenizeLimitName, GroupByLimitName, JoinLimitName, SortLimitName, OutOfCoreSortLimitName, OutOfCoreSortSyncedLimitName,
        SortFigureName, OutOfCoreSortFigureName, GroupByFigureName, JoinFigureName, BroadcastJoinFigureName, WordCountFigureName, DaskPeer.WordCountFigure, DaskPeer.SortFigure,
    ];

    public static async Task<int> RunAsync(DataCommand command)
    {
        var unknown = command.Only?.Except(Names).ToArray() ?? [];
        if (unknown.Length > 0)
        {
            await Console.Error.WriteLineAsync($"error: unknown figure(s) for --only: {string.Join(", ", unknown)} (known: {string.Join(", ", Names)})");
            return 2;
        }

        bool Selected(string name) => command.Only is null || command.Only.Contains(name);
        var daskWordCount = !command.NoDask && Selected(DaskPeer.WordCountFigure);
        var daskSort = !command.NoDask && Selected(DaskPeer.SortFigure);

        var report = new FigureReport();
        using var corpus = Selected(TokenizeLimitName) || Selected(WordCountFigureName) || daskWordCount ? Timed("corpus", BenchCorpus.Create) : null;
        if (corpus is not null)
        {
            await Console.Error.WriteLineAsync($"corpus: {new FileInfo(corpus.Path).Length:N0} bytes ({corpus.Source}) at {corpus.Path}");
        }

        if (Selected(TokenizeLimitName) && corpus is not null)
        {
            var text = await File.ReadAllBytesAsync(corpus.Path);
            report.AddLimit(TokenizeLimitName, Timed(TokenizeLimitName, () => TokenizeLimit.Measure(text)));
        }

        foreach (var (name, measure) in ComputeLimits.Where(l => Selected(l.Name)))
        {
            report.AddLimit(name, Timed(name, measure));
        }

        if (Selected(OutOfCoreSortLimitName) || Selected(OutOfCoreSortSyncedLimitName))
        {
            var bounds = Timed(OutOfCoreSortLimitName, OutOfCoreSortLimit.Measure);
            var disk = bounds.Disk;
            await Console.Error.WriteLineAsync(
                $"{"",-48} disk GB/s: write {disk.WriteGigabytes:F2}, read {disk.ReadGigabytes:F2}, synced write {disk.SyncedWriteGigabytes:F2}, cold read {disk.ColdReadGigabytes:F2}");
            report.AddLimit(OutOfCoreSortLimitName, bounds.Gigabytes);
            report.AddLimit(OutOfCoreSortSyncedLimitName, bounds.SyncedGigabytes);
        }

        // Plexus.Data's figures, each on its own embedded cluster, divided by their limits.
        if (Selected(WordCountFigureName) && corpus is not null)
        {
            var counter = new AsciiWordCounter();
            counter.CountLines(await File.ReadAllBytesAsync(corpus.Path));
            report.AddFigure(WordCountFigureName, await TimedAsync(WordCountFigureName, () => PlexusDataFigures.WordCountAsync(corpus.Path, counter.Counts.Count)), TokenizeLimitName);
        }

        var figures = new (string Name, string Limit, Func<Task<double>> Measure)[]
        {
            (GroupByFigureName, GroupByLimitName, PlexusDataFigures.GroupByAsync),
            (JoinFigureName, JoinLimitName, () => PlexusDataFigures.JoinAsync(JoinStrategy.Hash)),
            (BroadcastJoinFigureName, JoinLimitName, () => PlexusDataFigures.JoinAsync(JoinStrategy.Broadcast)),
            (SortFigureName, SortLimitName, () => PlexusDataFigures.SortInMemoryAsync(2L << 30)),
            (OutOfCoreSortFigureName, OutOfCoreSortLimitName, () => PlexusDataFigures.SortOutOfCoreAsync(8L << 30, 2L << 30)),
        };
        foreach (var (name, limit, measure) in figures.Where(f => Selected(f.Name)))
        {
            report.AddFigure(name, await TimedAsync(name, measure), limit);
        }

        if (daskWordCount || daskSort)
        {
            var clock = Stopwatch.StartNew();
            if (await DaskPeer.RunAsync(daskWordCount, daskSort, corpus?.Path) is { } dask)
            {
                await Console.Error.WriteLineAsync($"{"dask",-48} {dask}   ({clock.Elapsed.TotalSeconds:F1} s)");
                // Dask runs another system: a figure of its own, with no limit to divide by.
                if (dask.WordCountMegabytesPerSecond is { } wordCount)
                {
                    report.AddUncomparedFigure(DaskPeer.WordCountFigure, wordCount);
                }

                if (dask.SortGigabytes is { } sort)
                {
                    report.AddUncomparedFigure(DaskPeer.SortFigure, sort);
                }
            }
        }

        var json = report.ToJson();
        Console.WriteLine(json);
        if (command.OutFile is { } path)
        {
            await File.WriteAllTextAsync(path, json + Environment.NewLine);
        }

        return 0;
    }

    private static async Task<double> TimedAsync(string name, Func<Task<double>> measure)
    {
        var clock = Stopwatch.StartNew();
        var value = await measure();
        await Console.Error.WriteLineAsync($"{name,-48} {value,16:N3}   ({clock.Elapsed.TotalSeconds:F1} s)");
        return value;
    }

    private static T Timed<T>(string name, Func<T> measure)
    {
        var clock = Stopwatch.StartNew();
        var value = measure();
        Console.Error.WriteLine(value is double number
            ? $"{name,-48} {number,16:N1}   ({clock.Elapsed.TotalSeconds:F1} s)"
            : $"{name,-48} done   ({clock.Elapsed.TotalSeconds:F1} s)");
        return value;
    }
}
