using System.Diagnostics;
using Plexus.Benchmarks.Limits;

namespace Plexus.Benchmarks.Micro;

/// <summary>
/// The cluster-level suite: the machine's limits first (before the runtime's workers exist), then
/// every figure against one embedded local cluster. Progress goes to stderr; the JSON to stdout
/// and to the <c>--out</c> file.
/// </summary>
internal static class MicroSuite
{
    /// <summary>The figures of tasks and actor calls: what the observability suite measures with telemetry on and off.</summary>
    public static IEnumerable<(string Name, Func<PlexusRuntime, double[], Task<double>> Run)> TaskAndActorFigures =>
        Figures.Where(f => f.Name.Contains("_tasks", StringComparison.Ordinal) || f.Name.Contains("actor_calls", StringComparison.Ordinal));

    private static readonly (string Name, Func<PlexusRuntime, double[], Task<double>> Run)[] Figures =
    [
        ("single_client_tasks_sync", (p, _) => TaskFigures.SyncAsync(p)),
        ("single_client_tasks_async", (p, _) => TaskFigures.AsyncAsync(p)),
        ("multi_client_tasks_async", (p, _) => TaskFigures.MultiClientAsync(p)),
        ("single_client_tasks_and_get_batch", (p, _) => TaskFigures.GetBatchAsync(p)),
        ("single_client_put_calls", (p, _) => Task.FromResult(ObjectFigures.PutCalls(p))),
        ("single_client_get_calls", (p, _) => ObjectFigures.GetCallsAsync(p)),
        ("single_client_put_gigabytes", ObjectFigures.PutGigabytesAsync),
        ("single_client_get_gigabytes", ObjectFigures.GetGigabytesAsync),
        ("single_client_wait_1k_refs", (p, _) => TaskFigures.Wait1kRefsAsync(p)),
        ("single_client_get_object_containing_10k_refs", (p, _) => ObjectFigures.GetObjectContaining10kRefsAsync(p)),
        ("1_1_actor_calls_sync", (p, _) => ActorFigures.SyncAsync(p, asyncMethod: false)),
        ("1_1_actor_calls_async", (p, _) => ActorFigures.AsyncAsync(p, mode: 0)),
        ("1_1_actor_calls_concurrent", (p, _) => ActorFigures.AsyncAsync(p, mode: 0, maxConcurrency: 16)),
        ("1_n_actor_calls_async", (p, _) => ActorFigures.AsyncAsync(p, mode: 0, actors: Environment.ProcessorCount)),
        ("n_n_actor_calls_async", (p, _) => ActorFigures.ManyToManyAsync(p, mode: 0)),
        ("n_n_actor_calls_with_arg_async", (p, _) => ActorFigures.ManyToManyAsync(p, mode: 1)),
        ("1_1_async_actor_calls_sync", (p, _) => ActorFigures.SyncAsync(p, asyncMethod: true)),
        ("1_1_async_actor_calls_async", (p, _) => ActorFigures.AsyncAsync(p, mode: 2)),
        ("1_1_async_actor_calls_with_args_async", (p, _) => ActorFigures.AsyncAsync(p, mode: 1)),
        ("n_n_async_actor_calls_async", (p, _) => ActorFigures.ManyToManyAsync(p, mode: 2)),
        ("1_1_actor_calls_1mib_arg", (p, _) => ActorFigures.MebibyteArgumentAsync(p)),
        ("object_out_of_scope_1k_batch", (p, _) => MemoryFigures.OutOfScopeBatchAsync(p)),
        ("object_out_of_scope_1k_batch_collected", (p, _) => MemoryFigures.OutOfScopeBatchCollectedAsync(p)),
    ];

    private static readonly (string Name, Func<Task<double>> Run)[] Limits =
    [
        (FigureReport.RoundTripLimit, RoundTripLimit.MeasureAsync),
        (FigureReport.MemcpyLimit, () => Task.FromResult(MemcpyLimit.Measure())),
    ];

    // Measured together, last on the suite's cluster: 100,000 actors created, then their memory.
    private static readonly string[] IdleActorFigures = ["actor_creation_rate", "idle_actor_memory_bytes"];

    // Measured on a cluster of their own (a 1 GiB store), each against the limit named; the disk
    // limits are measured in that run, right before the spilling they bound.
    private static readonly (string Name, Func<MemoryFigures.PressureFigures, double> Pick, string Limit)[] PressureFigures =
    [
        ("put_loop_gigabytes", f => f.PutNoPressure, FigureReport.MemcpyLimit),
        ("put_loop_dropped_under_pressure_gigabytes", f => f.PutDroppedUnderPressure, FigureReport.MemcpyLimit),
        ("put_loop_held_under_pressure_gigabytes", f => f.PutHeldUnderPressure, FigureReport.FileWriteLimit),
        ("spill_gigabytes", f => f.Spill, FigureReport.FileWriteLimit),
        ("restore_gigabytes", f => f.Restore, FigureReport.FileReadLimit),
        ("read_back_spilled_gigabytes", f => f.ReadBack, FigureReport.FileReadLimit),
    ];

    public static async Task<int> RunAsync(MicroCommand command)
    {
        var known = Figures.Select(f => f.Name).Concat(Limits.Select(l => l.Name)).Concat(PressureFigures.Select(f => f.Name)).Concat(IdleActorFigures);
        var unknown = command.Only?.Except(known).ToArray() ?? [];
        if (unknown.Length > 0)
        {
            await Console.Error.WriteLineAsync($"error: unknown figure(s) for --only: {string.Join(", ", unknown)}");
            return 2;
        }

        bool Selected(string name) => command.Only is null || command.Only.Contains(name);

        var report = new FigureReport();
        foreach (var (name, run) in Limits.Where(l => Selected(l.Name)))
        {
            report.AddLimit(name, await TimedAsync(name, run));
        }

        var pressure = PressureFigures.Where(f => Selected(f.Name)).ToArray();
        var figures = Figures.Where(f => Selected(f.Name)).ToArray();
        if (figures.Length > 0 || IdleActorFigures.Any(Selected))
        {
            var large = figures.Any(f => f.Name.EndsWith("_gigabytes", StringComparison.Ordinal)) ? ObjectFigures.CreateLargeArray() : [];
            var clock = Stopwatch.StartNew();
            await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { StoreCapacity = 4L << 30 });
            var started = clock.Elapsed;
            using (var first = plexus.Task<int>(NoOpTasks.Run).Remote())
            {
                await first;
            }

            // What a user waits for before any work is done: start-up, then the first (cold) task.
            report.AddUncomparedFigure("cluster_start_seconds", started.TotalSeconds);
            report.AddUncomparedFigure("first_task_seconds", (clock.Elapsed - started).TotalSeconds);
            foreach (var (name, run) in figures)
            {
                report.AddFigure(name, await TimedAsync(name, () => run(plexus, large)));
            }

            if (IdleActorFigures.Any(Selected))
            {
                var (rate, bytes) = await ActorFigures.IdleActorsAsync(plexus);
                report.AddFigure(IdleActorFigures[0], rate);
                report.AddUncomparedFigure(IdleActorFigures[1], bytes);
            }
        }

        // A cluster of its own, after the suite's cluster has stopped (one runtime per process).
        if (pressure.Length > 0)
        {
            var clock = Stopwatch.StartNew();
            var measured = await MemoryFigures.PressureAsync();
            await Console.Error.WriteLineAsync($"{"pressure figures",-48} {measured}   ({clock.Elapsed.TotalSeconds:F1} s)");
            foreach (var (name, pick, limit) in pressure)
            {
                report.AddFigure(name, pick(measured), limit);
            }

            report.AddLimit(FigureReport.FileWriteLimit, measured.Disk.WriteGigabytes);
            report.AddLimit(FigureReport.FileReadLimit, measured.Disk.ReadGigabytes);
            report.AddLimit(FigureReport.DiskSyncedWriteLimit, measured.Disk.SyncedWriteGigabytes);
            report.AddLimit(FigureReport.DiskColdReadLimit, measured.Disk.ColdReadGigabytes);
        }

        var json = report.ToJson();
        Console.WriteLine(json);
        if (command.OutFile is { } path)
        {
            await File.WriteAllTextAsync(path, json + Environment.NewLine);
        }

        return 0;
    }

    /// <summary>Runs one figure, printing its value and how long it took to stderr.</summary>
    public static async Task<double> TimedAsync(string name, Func<Task<double>> run)
    {
        var clock = Stopwatch.StartNew();
        var value = await run();
        await Console.Error.WriteLineAsync($"{name,-48} {value,16:N1}   ({clock.Elapsed.TotalSeconds:F1} s)");
        return value;
    }
}
