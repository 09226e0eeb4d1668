using System.Text;
using System.Text.Json;
using Plexus.Benchmarks.Micro;

namespace Plexus.Benchmarks.Observability;

/// <summary>
/// The cost of observability when nobody looks: the micro suite's task and actor figures
/// (<see cref="MicroSuite.TaskAndActorFigures"/>, the same code) on an embedded cluster with the
/// node's telemetry on, its metrics served as <c>plexus start --metrics-port</c> serves them and
/// never scraped, against the same figures with it off. Runs alternate (off, on, then on, off, ...)
/// so that a machine that slows down or warms up over the suite weighs on both sides alike; each
/// side's figure is the median of its runs. The JSON has <c>NAME_off</c>, <c>NAME_on</c> and
/// <c>NAME_ratio</c> (on / off: below 1 is slower with telemetry; the target is at least 0.95).
/// </summary>
internal static class ObservabilitySuite
{
    public static async Task<int> RunAsync(ObservabilityCommand command)
    {
        var figures = MicroSuite.TaskAndActorFigures.ToList();
        var measured = figures.ToDictionary(f => f.Name, _ => (Off: new List<double>(), On: new List<double>()));
        for (var round = 0; round < command.Rounds; round++)
        {
            bool[] order = round % 2 == 0 ? [false, true] : [true, false];
            foreach (var telemetry in order)
            {
                await Console.Error.WriteLineAsync($"round {round + 1} of {command.Rounds}: telemetry {(telemetry ? "on" : "off")}");
                await using var run = await TelemetryRun.StartAsync(telemetry);
                foreach (var (name, figure) in figures)
                {
                    var value = await MicroSuite.TimedAsync(name, () => figure(run.Plexus, []));
                    (telemetry ? measured[name].On : measured[name].Off).Add(value);
                }
            }
        }

        var json = ToJson(command.Rounds, figures.Select(f => (f.Name, Median(measured[f.Name].Off), Median(measured[f.Name].On))));
        Console.WriteLine(json);
        if (command.OutFile is { } path)
        {
            await File.WriteAllTextAsync(path, json + Environment.NewLine);
        }

        return 0;
    }

    private static string ToJson(int rounds, IEnumerable<(string Name, double Off, double On)> figures)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("rounds", rounds);
            var lowest = double.MaxValue;
            foreach (var (name, off, on) in figures)
            {
                writer.WriteNumber($"{name}_off", Math.Round(off, 1));
                writer.WriteNumber($"{name}_on", Math.Round(on, 1));
                writer.WriteNumber($"{name}_ratio", Math.Round(on / off, 3));
                lowest = Math.Min(lowest, on / off);
            }

            // The figure that telemetry slows down most (or speeds up least: runs vary by a few percent).
            writer.WriteNumber("lowest_ratio", Math.Round(lowest, 3));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
