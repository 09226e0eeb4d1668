using System.Text;
using System.Text.Json;
using Plexus.Benchmarks.Micro;

namespace Plexus.Benchmarks.Observability;

/// <summary>
/// The cost of observability when nobody looks: the micro suite's task and actor figures
/// (<see cref="MicroSuite.TaskAndActorFigures"/>, the same code) on an embedded cluster with the
/// node's telemetry on, its metrics served as <c>plexus start --metrics-port</c> serves them and
/// never scraped, against the same figures with it off, and against a control: a third run with
/// telemetry off again, which shows how far noise alone moves each ratio and the mean (one figure's
/// ratio swings by more than the target between runs on 2 cores). Each round runs all three, in an
/// order that rotates from round to round (off, on, control; then on, control, off; ...), so that a
/// machine that slows down or warms up over the suite, or a place in the round, weighs on every side
/// alike; each run starts from a collected heap. The JSON has, per figure, <c>NAME_off</c>,
/// <c>NAME_on</c>, <c>NAME_control</c> (each side's median rate), <c>NAME_ratio</c> (the median of the
/// rounds' on / off ratios: below 1 is slower with telemetry; the target is at least 0.95) and
/// <c>NAME_control_ratio</c> (control / off), and the geometric means of both over the figures.
/// Beside each rate, counts over the same measured window that a loaded machine moves less
/// (<see cref="ClusterCost"/>): <c>NAME_cpu_us_per_op_*</c> (the cluster's processes' CPU time),
/// <c>NAME_switches_per_op_*</c> and <c>NAME_allocated_bytes_per_op_*</c> (the driver's process, with
/// the node and the embedded control service in it), each ratio on / off and control / off (above 1
/// costs more).
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

        var measured = figures.ToDictionary(f => f.Name, _ => new[] { new Sides(), new Sides(), new Sides() });
        var cost = new ClusterCost();
        var measuredBefore = Measure.MinDuration;
        Measure.Window = cost;
        Measure.MinDuration = command.Measured;
        try
        {
            for (var round = 0; round < command.Rounds; round++)
            {
                foreach (var side in RoundOrder(round))
                {
                    await Console.Error.WriteLineAsync($"round {round + 1} of {command.Rounds}: {Describe(side)}");
                    // The run before left its cluster (with telemetry, a task table of 100,000 tasks) as garbage:
                    // collected now, not during this run's figures.
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    using var usage = ProcessUsage.Start();
                    await using (var run = await TelemetryRun.StartAsync(side == Side.On))
                    {
                        foreach (var (name, figure) in figures)
                        {
                            var value = await MicroSuite.TimedAsync(name, () => figure(run.Plexus, []));
                            var perUnit = cost.PerUnit ?? throw new InvalidOperationException($"Figure {name} measured no window (Measure.Window).");
                            await Console.Error.WriteLineAsync($"{"",-48} {perUnit}");
                            measured[name][(int)side].Add(value, perUnit);
                        }
                    }

                    await Console.Error.WriteLineAsync($"{Describe(side)}: {usage.Describe()}");
                }
            }
        }
        finally
        {
            Measure.Window = null;
            Measure.MinDuration = measuredBefore;
        }

        var json = ToJson(command, figures.Select(f => (f.Name, measured[f.Name])));
        Console.WriteLine(json);
        if (command.OutFile is { } path)
        {
            await File.WriteAllTextAsync(path, json + Environment.NewLine);
        }

        return 0;
    }

    // The sides of a run: telemetry off, on, and off again as the control.
    private enum Side
    {
        Off,
        On,
        Control,
    }

    // Round 0 runs off, on, control; round 1 on, control, off; round 2 control, off, on; then again.
    private static IEnumerable<Side> RoundOrder(int round) => Enumerable.Range(0, 3).Select(i => (Side)((round + i) % 3));

    private static string Describe(Side side) => side switch
    {
        Side.On => "telemetry on",
        Side.Control => "telemetry off (control)",
        _ => "telemetry off",
    };

    private static string ToJson(ObservabilityCommand command, IEnumerable<(string Name, Sides[] Sides)> figures)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("rounds", command.Rounds);
            writer.WriteNumber("measured_seconds", command.Measured.TotalSeconds);
            var rates = new Ratios();
            var controlRates = new Ratios();
            var costs = new Ratios();
            var controlCosts = new Ratios();
            var allocations = new Ratios();
            foreach (var (name, sides) in figures)
            {
                var (off, on, control) = (sides[(int)Side.Off], sides[(int)Side.On], sides[(int)Side.Control]);
                writer.WriteNumber($"{name}_off", Math.Round(Median(off.Rates), 1));
                writer.WriteNumber($"{name}_on", Math.Round(Median(on.Rates), 1));
                writer.WriteNumber($"{name}_control", Math.Round(Median(control.Rates), 1));
                writer.WriteNumber($"{name}_ratio", Math.Round(rates.Add(off.Rates, on.Rates), 3));
                writer.WriteNumber($"{name}_control_ratio", Math.Round(controlRates.Add(off.Rates, control.Rates), 3));
                writer.WriteNumber($"{name}_cpu_us_per_op_off", Math.Round(Median(off.CpuMicroseconds), 2));
                writer.WriteNumber($"{name}_cpu_us_per_op_on", Math.Round(Median(on.CpuMicroseconds), 2));
                writer.WriteNumber($"{name}_cpu_us_per_op_ratio", Math.Round(costs.Add(off.CpuMicroseconds, on.CpuMicroseconds), 3));
                writer.WriteNumber($"{name}_cpu_us_per_op_control_ratio", Math.Round(controlCosts.Add(off.CpuMicroseconds, control.CpuMicroseconds), 3));
                writer.WriteNumber($"{name}_switches_per_op_off", Math.Round(Median(off.Switches), 2));
                writer.WriteNumber($"{name}_switches_per_op_on", Math.Round(Median(on.Switches), 2));
                writer.WriteNumber($"{name}_allocated_bytes_per_op_off", Math.Round(Median(off.AllocatedBytes)));
                writer.WriteNumber($"{name}_allocated_bytes_per_op_on", Math.Round(Median(on.AllocatedBytes)));
                writer.WriteNumber($"{name}_allocated_bytes_per_op_ratio", Math.Round(allocations.Add(off.AllocatedBytes, on.AllocatedBytes), 3));
            }

            // The figure that telemetry slows down most (or speeds up least: runs vary by a few percent).
            writer.WriteNumber("lowest_ratio", Math.Round(rates.Lowest, 3));
            writer.WriteNumber("geomean_ratio", Math.Round(rates.GeometricMean, 3));
            // The same mean between two runs with telemetry off: how far from 1 noise alone puts it.
            writer.WriteNumber("control_geomean_ratio", Math.Round(controlRates.GeometricMean, 3));
            // CPU per operation, on / off: above 1 is dearer with telemetry; the target is at most 1.05.
            writer.WriteNumber("highest_cpu_us_per_op_ratio", Math.Round(costs.Highest, 3));
            writer.WriteNumber("cpu_us_per_op_geomean_ratio", Math.Round(costs.GeometricMean, 3));
            writer.WriteNumber("control_cpu_us_per_op_geomean_ratio", Math.Round(controlCosts.GeometricMean, 3));
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
