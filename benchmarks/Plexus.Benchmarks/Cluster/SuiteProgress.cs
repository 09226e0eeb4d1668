using System.Diagnostics;
using System.Text.Json;
using Plexus.ClusterHosting;

namespace Plexus.Benchmarks.Cluster;

/// <summary>What the cluster-level suites share: timed steps reported on stderr, and a driver's figures read from its output.</summary>
internal static class SuiteProgress
{
    /// <summary>Runs <paramref name="run"/> and reports its name, value and duration on stderr.</summary>
    public static async Task<T> TimedAsync<T>(string name, Func<Task<T>> run)
    {
        var clock = Stopwatch.StartNew();
        var value = await run();
        await Console.Error.WriteLineAsync($"{name,-48} {(value is double d ? d.ToString("N3") : ""),16}   ({clock.Elapsed.TotalSeconds:F1} s)");
        return value;
    }

    /// <summary>
    /// The figures a driver printed as its last line (one JSON object of name → number), after
    /// passing its stderr on.
    /// </summary>
    /// <exception cref="InvalidOperationException">The driver failed or printed no figures; the message holds its output.</exception>
    public static async Task<Dictionary<string, double>> DriverFiguresAsync(CommandOutcome outcome, string what)
    {
        await Console.Error.WriteAsync(outcome.StandardError);
        var last = outcome.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (outcome.ExitCode != 0 || last is null || !last.StartsWith('{'))
        {
            throw new InvalidOperationException($"The {what} failed: {outcome}");
        }

        return JsonSerializer.Deserialize<Dictionary<string, double>>(last)!;
    }
}
