using System.Diagnostics;
using System.Text.Json;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// Dask distributed on the same machine, run by the Dask peer's bench.py (a LocalCluster of two
/// single-thread worker processes): its word count over the suite's corpus and its 2 GiB sort of
/// gensort-like records, generated in the workers, each once after a warm-up. Run after every
/// Plexus cluster of the suite has stopped, so the two never share the cores. When Dask cannot run
/// (no Python, no distributed module, no script), a note on stderr says why and what to install.
/// </summary>
internal static class DaskPeer
{
    public const string WordCountFigure = "dask_wordcount_megabytes_per_second";
    public const string SortFigure = "dask_sort_2gib_gigabytes";

    // bench.py's warm-up and timed runs: about 1 min for the word count and 2 min for the sort here.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(20);

    /// <summary>Dask's figures; a figure not asked for, or that Dask failed to make, is <see langword="null"/>.</summary>
    public sealed record Figures(double? WordCountMegabytesPerSecond, double? SortGigabytes);

    /// <summary>Runs bench.py for the figures asked for, or returns <see langword="null"/> with a note when Dask cannot run.</summary>
    public static async Task<Figures?> RunAsync(bool wordCount, bool sort, string? corpus)
    {
        var script = PeerScripts.DaskFolder() is { } folder ? Path.Combine(folder, "bench.py") : null;
        if (script is null || !File.Exists(script))
        {
            await Skip($"bench.py was not found ({script ?? "no repository root above this program"}); the Dask peer is ../shared/peers/dask beside the repository");
            return null;
        }

        if (!File.Exists(PeerScripts.Python))
        {
            await Skip($"{PeerScripts.Python} does not exist; install Debian's python3 and python3-distributed");
            return null;
        }

        var import = await RunPythonAsync(["-c", "import distributed"], corpus: null, forwardErrors: false);
        if (import.ExitCode != 0)
        {
            await Skip($"'import distributed' failed ({LastLine(import.Errors)}); install it with: apt-get install -y python3-distributed");
            return null;
        }

        var benches = string.Join(',', new[] { wordCount ? "wordcount" : null, sort ? "shuffle_sort" : null }.OfType<string>());
        var run = await RunPythonAsync([script, "--only", benches, "--reps", "1", "--sort-reps", "1", "--sort-gib", "2"], corpus, forwardErrors: true);
        if (run.ExitCode != 0)
        {
            await Skip($"bench.py exited with code {run.ExitCode}");
            return null;
        }

        using var result = JsonDocument.Parse(run.Output);
        return new Figures(
            wordCount ? await MedianAsync(result.RootElement, "wordcount") : null,
            sort ? await ValidSortMedianAsync(result.RootElement) : null);
    }

    private static async Task<double?> MedianAsync(JsonElement result, string bench)
    {
        if (result.TryGetProperty(bench, out var figure) && figure.TryGetProperty("median", out var median))
        {
            return median.GetDouble();
        }

        var error = result.TryGetProperty(bench + "_error", out var thrown) ? thrown.ToString()
            : figure.ValueKind == JsonValueKind.Object && figure.TryGetProperty("error", out var reported) ? reported.ToString()
            : "no median in its output";
        await Skip($"Dask's {bench} failed: {error}");
        return null;
    }

    // The sort's median, only when every run's output validated (bench.py checks order, count and checksums).
    private static async Task<double?> ValidSortMedianAsync(JsonElement result)
    {
        var median = await MedianAsync(result, "shuffle_sort");
        if (median is not null && result.GetProperty("shuffle_sort").GetProperty("reps").EnumerateArray().Any(run => !run.GetProperty("valid").GetBoolean()))
        {
            await Skip("Dask's sorted output did not validate, so its sort figure is left out");
            return null;
        }

        return median;
    }

    private static Task Skip(string why) => Console.Error.WriteLineAsync($"Dask figures skipped: {why}.");

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [.., var last] ? last : "no message";

    private sealed record PythonRun(int ExitCode, string Output, string Errors);

    // Runs Debian's Python with DASK_BENCH_CORPUS set; bench.py's progress lines are passed on to
    // stderr as they come. The whole process tree (the cluster's workers and nannies) is killed
    // past the deadline.
    private static async Task<PythonRun> RunPythonAsync(IReadOnlyList<string> arguments, string? corpus, bool forwardErrors)
    {
        var start = new ProcessStartInfo(PeerScripts.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (corpus is not null)
        {
            start.Environment["DASK_BENCH_CORPUS"] = corpus;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{PeerScripts.Python} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = ForwardAsync(process.StandardError, forwardErrors);
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await Skip($"bench.py did not finish within {Deadline.TotalMinutes:F0} minutes and was stopped");
        }

        return new PythonRun(process.ExitCode, await output, await errors);
    }

    private static async Task<string> ForwardAsync(StreamReader errors, bool forward)
    {
        var all = new System.Text.StringBuilder();
        while (await errors.ReadLineAsync() is { } line)
        {
            all.AppendLine(line);
            if (forward)
            {
                await Console.Error.WriteLineAsync($"  dask: {line}");
            }
        }

        return all.ToString();
    }
}
