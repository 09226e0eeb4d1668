using System.Text;
using System.Text.Json;
using Plexus.Benchmarks.Micro;

namespace Plexus.Benchmarks.Observability;

/// <summary>
/// The cost of observability when nobody looks: the micro suite's task and actor figures
/// (<see cref="MicroSuite.TaskAndActorFigures"/>, the same code) on an embedded cluster with the
/// node's telemetry on, its metrics served as <c>plexus start --metrics-port</c> serves them and
/// never scraped, against the same figures with it off. Runs alternate (off, on, then on, off, ...)
/// so that a machine that slows down or warms up over the suite weighs on both sides alike, and
/// each starts from a collected heap. The JSON has <c>NAME_off</c> and <c>NAME_on</c> (each side's
/// median) and <c>NAME_ratio</c>: the median of the rounds' on / off ratios, each of two runs next
/// to each other in time (below 1 is slower with telemetry; the target is at least 0.95), and
/// <c>geomean_ratio</c>, the geometric mean of the figures' ratios. One figure's ratio swings by more
/// than the target between rounds on 2 cores; the control run (<c>--control</c>: the "on" side runs
/// with telemetry off too) shows how far noise alone moves each ratio and the mean. Beside each
/// rate, counts over the same measured window that a loaded machine moves less
/// (<see cref="ClusterCost"/>): <c>NAME_cpu_us_per_op_*</c> (the cluster's processes' CPU time),
/// <c>NAME_switches_per_op_*</c> and <c>NAME_allocated_bytes_per_op_*</c> (the driver's process, with
/// the node and the embedded control service in it), each ratio on / off (above 1 costs more with telemetry).
/// </summary>
internal static class ObservabilitySuite
{
    public static async Task<int> RunAsync(ObservabilityCommand command)
    {
        var figures = MicroSuite.TaskAndActorFigures.Where(f => command.Only?.Contains(f.Name) ?? true).ToList();
        var unknown = command.Only?.Except(MicroSuite.TaskAndActorFigures.Select(f => f.Name)).ToArray() ?? [];
        if (unknown.Length > 0)
        {
            await Console.Error.WriteLineAsync($"error: unknown figure(s) for --only: {string.Join(", ", unknown)}");
            return 2;
        }

        var measured = figures.ToDictionary(f => f.Name, _ => (Off: new Sides(), On: new Sides()));
        var cost = new ClusterCost();
        Measure.Window = cost;
        try
        {
            for (var round = 0; round < command.Rounds; round++)
            {
                bool[] order = round % 2 == 0 ? [false, true] : [true, false];
                foreach (var onSide in order)
                {
                    var telemetry = onSide && !command.Control;
                    await Console.Error.WriteLineAsync($"round {round + 1} of {command.Rounds}: {Side(onSide, command.Control)}");
                    // The run before left its cluster (with telemetry, a task table of 100,000 tasks) as garbage:
                    // collected now, not during this run's figures.
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    using var usage = ProcessUsage.Start();
                    await using (var run = await TelemetryRun.StartAsync(telemetry))
                    {
                        foreach (var (name, figure) in figures)
                        {
                            var value = await MicroSuite.TimedAsync(name, () => figure(run.Plexus, []));
                            var perUnit = cost.PerUnit ?? throw new InvalidOperationException($"Figure {name} measured no window (Measure.Window).");
                            await Console.Error.WriteLineAsync($"{"",-48} {perUnit}");
                            (onSide ? measured[name].On : measured[name].Off).Add(value, perUnit);
                        }
                    }

                    await Console.Error.WriteLineAsync($"{Side(onSide, command.Control)}: {usage.Describe()}");
                }
            }
        }
        finally
        {
            Measure.Window = null;
        }

        var json = ToJson(command.Rounds, command.Control, figures.Select(f => (f.Name, measured[f.Name].Off, measured[f.Name].On)));
        Console.WriteLine(json);
        if (command.OutFile is { } path)
        {
            await File.WriteAllTextAsync(path, json + Environment.NewLine);
        }

        return 0;
    }

    private static string Side(bool onSide, bool control) =>
        (onSide, control) switch
        {
            (true, false) => "telemetry on",
            (true, true) => "telemetry off (control)",
            _ => "telemetry off",
        };

    private static string ToJson(int rounds, bool control, IEnumerable<(string Name, Sides Off, Sides On)> figures)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("rounds", rounds);
            writer.WriteBoolean("control", control);
            var rates = new Ratios();
            var costs = new Ratios();
            var allocations = new Ratios();
            foreach (var (name, off, on) in figures)
            {
                writer.WriteNumber($"{name}_off", Math.Round(Median(off.Rates), 1));
                writer.WriteNumber($"{name}_on", Math.Round(Median(on.Rates), 1));
                writer.WriteNumber($"{name}_ratio", Math.Round(rates.Add(off.Rates, on.Rates), 3));
                writer.WriteNumber($"{name}_cpu_us_per_op_off", Math.Round(Median(off.CpuMicroseconds), 2));
                writer.WriteNumber($"{name}_cpu_us_per_op_on", Math.Round(Median(on.CpuMicroseconds), 2));
                writer.WriteNumber($"{name}_cpu_us_per_op_ratio", Math.Round(costs.Add(off.CpuMicroseconds, on.CpuMicroseconds), 3));
                writer.WriteNumber($"{name}_switches_per_op_off", Math.Round(Median(off.Switches), 2));
                writer.WriteNumber($"{name}_switches_per_op_on", Math.Round(Median(on.Switches), 2));
                writer.WriteNumber($"{name}_allocated_bytes_per_op_off", Math.Round(Median(off.AllocatedBytes)));
                writer.WriteNumber($"{name}_allocated_bytes_per_op_on", Math.Round(Median(on.AllocatedBytes)));
                writer.WriteNumber($"{name}_allocated_bytes_per_op_ratio", Math.Round(allocations.Add(off.AllocatedBytes, on.AllocatedBytes), 3));
            }

            // The figure that telemetry slows down most (or speeds up least: runs vary by a few percent).
            writer.WriteNumber("lowest_ratio", Math.Round(rates.Lowest, 3));
            writer.WriteNumber("geomean_ratio", Math.Round(rates.GeometricMean, 3));
            // CPU per operation, on / off: above 1 is dearer with telemetry; the target is at most 1.05.
            writer.WriteNumber("highest_cpu_us_per_op_ratio", Math.Round(costs.Highest, 3));
            writer.WriteNumber("cpu_us_per_op_geomean_ratio", Math.Round(costs.GeometricMean, 3));
            // The driver's allocations per operation, on / off: the steadiest of the counts under load (equal to 0.1% between
            // two runs of one side); what telemetry allocates is its reports' messages.
            writer.WriteNumber("allocated_bytes_per_op_geomean_ratio", Math.Round(allocations.GeometricMean, 3));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    // One side's measurements of a figure, a run each: its rate, and per unit the cluster's CPU microseconds and context switches and the driver's allocated bytes.
    private sealed class Sides
    {
        public List<double> Rates { get; } = [];

        public List<double> CpuMicroseconds { get; } = [];

        public List<double> Switches { get; } = [];

        public List<double> AllocatedBytes { get; } = [];

        public void Add(double rate, WindowCost cost)
        {
            Rates.Add(rate);
            CpuMicroseconds.Add(cost.CpuMicroseconds);
            Switches.Add(cost.Switches);
            AllocatedBytes.Add(cost.AllocatedBytes);
        }
    }

    // The figures' on / off ratios of one measurement, each the median of its rounds' ratios.
    private sealed class Ratios
    {
        private double _logSum;
        private int _count;

        public double Lowest { get; private set; } = double.MaxValue;

        public double Highest { get; private set; } = double.MinValue;

        public double GeometricMean => Math.Exp(_logSum / _count);

        // Round by round: the two runs of a round ran one after the other, on the machine as it was then.
        public double Add(List<double> off, List<double> on)
        {
            var ratio = Median([.. off.Zip(on, (o, n) => n / o)]);
            Lowest = Math.Min(Lowest, ratio);
            Highest = Math.Max(Highest, ratio);
            _logSum += Math.Log(ratio);
            _count++;
            return ratio;
        }
    }
}
