using System.Diagnostics;
using Plexus.Data;
using Plexus.Samples.Sort;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// <c>sort_2gib_gigabytes</c>: 2 GiB of gensort records made by tasks and sorted by Plexus.Data on
/// an embedded cluster, end to end (generation and sort, as Dask's figure counts them; the check
/// that follows is not timed). One warm-up on a small input, then the median of three runs.
/// </summary>
internal static class PlexusSortFigure
{
    private const ulong Seed = 20261128;

    public static async Task<double> MeasureAsync(long bytes)
    {
        var records = bytes / GensortRecord.Size;
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { StoreCapacity = 4 * bytes });
        // Each run's summary goes to stderr: where the time went, stage by stage.
        var data = plexus.Data(new DataOptions { TargetBlockBytes = 64L << 20, Progress = new SummaryToStandardError() });
        await SortAsync(data, records / 64);
        var seconds = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var clock = Stopwatch.StartNew();
            var sorted = await SortAsync(data, records);
            seconds.Add(clock.Elapsed.TotalSeconds);
            if (sorted != records)
            {
                throw new InvalidOperationException($"The sort gave {sorted} records of {records}.");
            }
        }

        seconds.Sort();
        return bytes / seconds[1] / 1e9;
    }

    private static Task<long> SortAsync(DataContext data, long records) =>
        data.Generate<GensortRecord>(records, Generate).OrderBy(static r => r.Key).CountAsync();

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

    private static void Generate(long firstRecord, Span<GensortRecord> rows) => GensortGenerator.Fill(firstRecord, rows, Seed);
}
