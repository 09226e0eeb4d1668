using System.Buffers.Binary;
using System.Diagnostics;
using Google.Protobuf;
using Plexus.Benchmarks.Micro;
using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Benchmarks.State;

/// <summary>
/// The state API's bound (issue: "a cluster with 1 M finished tasks answers in under a second"),
/// measured on the task table itself, in process: 1 M finished tasks of 10 jobs and 20 functions
/// on 4 nodes are reported through <see cref="TaskTable.Report"/> (the path nodes' reports take,
/// in batches of a node's second), then each query is timed, the median of several. The bound is
/// the suite's limit, so each <c>NAME_ratio</c> is the share of the second a query takes.
/// </summary>
internal static class StateSuite
{
    private const string Bound = "limit_state_query_ms";
    private const int Tasks = 1_000_000;
    private const int Jobs = 10;
    private const int Functions = 20;
    private const int Nodes = 4;
    private const int Batch = 10_000;
    private const int Repeats = 15;

    public static async Task<int> RunAsync(StateCommand command)
    {
        var report = new FigureReport();
        var table = new TaskTable(finishedKept: Tasks);
        var clock = Stopwatch.StartNew();
        Fill(table);
        var fill = clock.Elapsed;
        await Console.Error.WriteLineAsync($"{"filled",-48} {table.Count,16:N0} tasks   ({fill.TotalSeconds:F1} s)");
        // Steps a second: three a task, folded into one event each as nodes report them.
        report.AddUncomparedFigure("state_report_events_per_second", Tasks * 3 / fill.TotalSeconds);

        var job = JobKeys.ToBytes(JobOf(3));
        var filtered = new Proto.ListTasksRequest { Status = Proto.TaskStatus.Finished, JobId = job, Limit = 100 };
        report.AddFigure("state_first_page_ms", await TimedAsync("state_first_page_ms", () => table.List(filtered)), Bound);
        var deepToken = TokenAt(table, new Proto.ListTasksRequest { Status = Proto.TaskStatus.Finished, JobId = job }, depth: Tasks / Jobs * 9 / 10);
        var deep = new Proto.ListTasksRequest { Status = Proto.TaskStatus.Finished, JobId = job, Limit = 100, PageToken = deepToken };
        report.AddFigure("state_deep_page_ms", await TimedAsync("state_deep_page_ms", () => table.List(deep)), Bound);
        var byName = new Proto.ListTasksRequest { Name = Name(7), NodeId = NodeBytes(2), Limit = 100 };
        report.AddFigure("state_name_node_page_ms", await TimedAsync("state_name_node_page_ms", () => table.List(byName)), Bound);
        var unfilteredDeep = new Proto.ListTasksRequest { Limit = 100, PageToken = TokenAt(table, new Proto.ListTasksRequest(), depth: Tasks * 9 / 10) };
        report.AddFigure("state_unfiltered_deep_page_ms", await TimedAsync("state_unfiltered_deep_page_ms", () => table.List(unfilteredDeep)), Bound);
        report.AddFigure("state_summary_ms", await TimedAsync("state_summary_ms", () => table.Summarize(JobOf(3))), Bound);
        report.AddFigure("state_job_timeline_ms", await TimedAsync("state_job_timeline_ms", () => table.Timeline(JobOf(3))), Bound);
        report.AddLimit(Bound, 1000.0);

        var json = report.ToJson();
        Console.WriteLine(json);
        if (command.OutFile is { } path)
        {
            await File.WriteAllTextAsync(path, json + Environment.NewLine);
        }

        return 0;
    }

    // Each task: submitted, started and finished on its node, 1 ms apart from the one before, as a node reports a task
    // whose steps fall into one report (FoldedSteps): one event, its earlier steps folded; reported a batch at a time.
    private static void Fill(TaskTable table)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var batch = new List<Proto.TaskEvent>(Batch);
        for (var i = 0; i < Tasks; i++)
        {
            var at = start + (i * 1000L);
            batch.Add(new Proto.TaskEvent
            {
                TaskId = TaskBytes(JobOf(i % Jobs), (ulong)i + 1),
                Kind = Proto.TaskEventKind.EventFinished,
                UnixMicros = at + 900,
                SubmittedUnixMicros = at,
                StartedUnixMicros = at + 100,
                Name = Name(i % Functions),
                WorkerPid = 1000 + (i % 8),
            });
            if (batch.Count == batch.Capacity)
            {
                table.Report((ulong)(i / Batch % Nodes) + 1, batch, 0);
                batch.Clear();
            }
        }

        table.Report(1, batch, 0);
    }

    // The page token after the first depth tasks the request matches, found by walking pages of the largest size.
    private static string TokenAt(TaskTable table, Proto.ListTasksRequest request, int depth)
    {
        var token = string.Empty;
        for (var seen = 0; seen < depth; seen += TaskTable.MaxLimit)
        {
            var page = request.Clone();
            page.Limit = Math.Min(TaskTable.MaxLimit, depth - seen);
            page.PageToken = token;
            token = table.List(page).NextPageToken;
        }

        return token;
    }

    private static async Task<double> TimedAsync(string name, Func<object> query)
    {
        var times = new List<double>();
        for (var i = 0; i < Repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            GC.KeepAlive(query());
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var median = times[times.Count / 2];
        await Console.Error.WriteLineAsync($"{name,-48} {median,16:N3} ms (median of {Repeats}, worst {times[^1]:N3} ms)");
        return median;
    }

    private static JobId JobOf(int index) => new(0x5EED, (ulong)index + 1);

    private static string Name(int function) => $"Bench.Function{function}";

    private static ByteString TaskBytes(JobId job, ulong path)
    {
        Span<byte> bytes = stackalloc byte[24];
        JobKeys.Write(job, bytes);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], path);
        return ByteString.CopyFrom(bytes);
    }

    private static ByteString NodeBytes(ulong node) => NodeKeys.ToBytes(node);
}
