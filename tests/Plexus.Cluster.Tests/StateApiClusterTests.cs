using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// The state API on a live 2-node cluster: a driver's finished, failed, running and infeasible
/// tasks and its actor, as <c>plexus list</c>, <c>summary</c> and <c>timeline</c> show them. One
/// cluster and one job for every check (they are read while the job holds at a checkpoint).
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class StateApiClusterTests(ITestOutputHelper output)
{
    private static readonly NodeOptions TwoCpus = new() { Cpus = 2 };

    [Fact]
    public async Task ListSummaryAndTimelineShowTheJobsTasksWhereAndWhyTheyAre()
    {
        await using var cluster = await TestCluster.StartAsync([TwoCpus, TwoCpus], output: output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "state", []);
        await driver.ReachedAsync("observed");
        var job = (await PlexusJsonAsync(cluster, "list", "jobs", "--state", "running", "--json")).EnumerateArray().Single().GetProperty("jobId").GetString()!;

        // Nodes report about once a second: the held task shows running once its node has reported its start.
        var running = await Eventually.ValueAsync(
            () => PlexusJsonAsync(cluster, "list", "tasks", "--state", "running", "--job", job, "--limit", "50", "--json"),
            page => page.GetProperty("total").GetInt64() == 1,
            "the held task is listed running");
        var held = running.GetProperty("tasks")[0];
        Assert.Equal("ClusterTasks.NoteThenHold", held.GetProperty("name").GetString());
        Assert.Contains(held.GetProperty("nodeId").GetString(), cluster.Nodes.Select(n => n.State.NodeId));
        Assert.True(held.GetProperty("workerPid").GetInt32() > 0, held.ToString());

        var infeasible = (await PlexusJsonAsync(cluster, "list", "tasks", "--state", "infeasible", "--job", job, "--json")).GetProperty("tasks");
        Assert.Contains("gpu-x: 1", Assert.Single(infeasible.EnumerateArray()).GetProperty("reason").GetString(), StringComparison.Ordinal);

        var failed = Assert.Single((await PlexusJsonAsync(cluster, "list", "tasks", "--state", "failed", "--job", job, "--json")).GetProperty("tasks").EnumerateArray());
        Assert.Equal("System.InvalidOperationException", failed.GetProperty("errorType").GetString());
        Assert.Equal("the state scenario fails on purpose", failed.GetProperty("reason").GetString());

        var summary = (await PlexusJsonAsync(cluster, "summary", "tasks", "--job", job, "--json")).EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("counts").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt64()));
        Assert.Equal(new Dictionary<string, long> { ["Finished"] = 8 }, summary["ClusterTasks.Square"]);
        Assert.Equal(new Dictionary<string, long> { ["Failed"] = 1 }, summary["StateScenario.Fail"]);
        Assert.Equal(new Dictionary<string, long> { ["Running"] = 1 }, summary["ClusterTasks.NoteThenHold"]);
        Assert.Equal(new Dictionary<string, long> { ["Infeasible"] = 1 }, summary["ClusterTasks.NodeAfter"]);
        Assert.Equal(new Dictionary<string, long> { ["Finished"] = 1 }, summary["Counter.Add"]);

        var squaresRanOn = (await PlexusJsonAsync(cluster, "list", "tasks", "--job", job, "--json")).GetProperty("tasks").EnumerateArray()
            .Where(t => t.GetProperty("name").GetString() == "ClusterTasks.Square").Select(t => t.GetProperty("nodeId").GetString()).Distinct();
        Assert.Equal(cluster.Nodes.Select(n => n.State.NodeId).Order(), squaresRanOn.Order());

        var actor = Assert.Single((await PlexusJsonAsync(cluster, "list", "actors", "--job", job, "--json")).EnumerateArray());
        Assert.Equal("state-counter", actor.GetProperty("name").GetString());
        Assert.True(actor.GetProperty("state").GetString() == "ALIVE", actor.ToString());
        var workers = (await PlexusJsonAsync(cluster, "list", "workers", "--json")).EnumerateArray().ToList();
        Assert.Contains(workers, w => w.GetProperty("pid").GetInt32() == held.GetProperty("workerPid").GetInt32() && w.GetProperty("state").GetString() == "busy");

        await AssertObjectsPendingArgsAndLogsAsync(cluster, job, held);

        var trace = Path.Combine(driver.Directory, "trace.json");
        var timeline = await HostCommand.RunAsync(Command(cluster, "timeline", "--job", job, "-o", trace), TimeSpan.FromMinutes(1));
        Assert.True(timeline.ExitCode == 0, timeline.ToString());
        AssertTimeline(JsonDocument.Parse(await File.ReadAllTextAsync(trace)).RootElement);

        driver.Go("observed");
        await File.WriteAllTextAsync(Path.Combine(driver.Directory, "release"), "");
        var result = await driver.ResultAsync();
        // The held task's entry reached the driver from its worker (on either node), which wrote it through the program's
        // logger factory: its console logger, on standard error.
        Assert.Contains($"Holding until {Path.Combine(driver.Directory, "release")} exists", (await driver.OutcomeAsync()).StandardError, StringComparison.Ordinal);
        Assert.Equal(140, result.GetProperty("squares").GetInt64());
        Assert.Equal(4, result.GetProperty("count").GetInt32());
        Assert.Equal(result.GetProperty("held").GetString()!.Length, result.GetProperty("afterHeld").GetInt32());

        await AssertTaskLogLevelsAsync(cluster);
    }

    // A driver's PlexusOptions.TaskLogLevel reaches the workers of the other node that run its tasks, and the tasks those
    // submit: two jobs of one package (sharing its workers) each get their own level, at the driver and in the worker's file.
    private static async Task AssertTaskLogLevelsAsync(TestCluster cluster)
    {
        var other = cluster.Nodes[1].State.NodeId;
        var (debug, debugPid) = await RunTaskLogDriverAsync(cluster, "Debug", "debug-run");
        Assert.Contains("task-log debug-run-outer at debug", debug.StandardError, StringComparison.Ordinal);
        Assert.Contains("task-log debug-run-outer-inner at debug", debug.StandardError, StringComparison.Ordinal);
        Assert.Contains("task-log debug-run-outer at information", debug.StandardError, StringComparison.Ordinal);
        // The worker's file, whose own minimum is Information, has the Debug job's Debug entry as its driver does.
        Assert.Contains("task-log debug-run-outer at debug", await WorkerLogAsync(cluster, other, debugPid), StringComparison.Ordinal);

        var (warning, pid) = await RunTaskLogDriverAsync(cluster, "Warning", "warning-run");
        Assert.Contains("task-log warning-run-outer at warning", warning.StandardError, StringComparison.Ordinal);
        Assert.Contains("task-log warning-run-outer-inner at warning", warning.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("warning-run-outer at information", warning.StandardError, StringComparison.Ordinal);
        // The worker made no Information entry of that job, so its file has none either: it filtered at the job's level.
        var workerLog = await WorkerLogAsync(cluster, other, pid);
        Assert.Contains("task-log warning-run-outer at warning", workerLog, StringComparison.Ordinal);
        Assert.DoesNotContain("task-log warning-run-outer at information", workerLog, StringComparison.Ordinal);
    }

    // A worker's log file on its node, read through the head.
    private static async Task<string> WorkerLogAsync(TestCluster cluster, string node, int pid)
    {
        var workerLog = await HostCommand.RunAsync(Command(cluster, "logs", "--node", node, "--process", $"worker-{pid}"), TimeSpan.FromMinutes(1));
        Assert.True(workerLog.ExitCode == 0, workerLog.ToString());
        return workerLog.StandardOutput;
    }

    private static async Task<(CommandOutcome Outcome, int Pid)> RunTaskLogDriverAsync(TestCluster cluster, string level, string marker)
    {
        using var driver = ClusterDriverRun.Start(cluster, 0, "task-log", [cluster.Nodes[1].State.NodeId, marker],
            new Dictionary<string, string> { ["CLUSTER_DRIVER_TASK_LOG_LEVEL"] = level });
        var result = await driver.ResultAsync();
        return (await driver.OutcomeAsync(), result.GetProperty("pid").GetInt32());
    }

    // The array the job keeps is listed and grouped with its size and call site; the task on the held one's result is
    // pending its argument; the held task's worker wrote its own log on its node, read through the head.
    private static async Task AssertObjectsPendingArgsAndLogsAsync(TestCluster cluster, string job, JsonElement held)
    {
        var objects = await Eventually.ValueAsync(
            () => PlexusJsonAsync(cluster, "list", "objects", "--job", job, "--json"),
            listing => listing.GetProperty("objects").EnumerateArray().Any(IsTheBlock),
            "the job's stored array is listed, in memory");
        var block = objects.GetProperty("objects").EnumerateArray().First(IsTheBlock);
        Assert.True(block.GetProperty("size").GetInt64() >= 300_000, block.ToString());
        var byJob = (await PlexusJsonAsync(cluster, "memory", "--group-by", "job", "--json")).GetProperty("groups").EnumerateArray()
            .Single(g => g.GetProperty("key").GetString() == job);
        Assert.True(byJob.GetProperty("bytes").GetInt64() >= block.GetProperty("size").GetInt64(), byJob.ToString());
        await AssertHeldObjectsAsync(cluster, job);

        var pending = await Eventually.ValueAsync(
            () => PlexusJsonAsync(cluster, "list", "tasks", "--state", "pending_args", "--job", job, "--json"),
            page => page.GetProperty("total").GetInt64() == 1,
            "the task on the held one's result is listed pending its argument");
        var waiting = pending.GetProperty("tasks")[0];
        Assert.Equal("state-after-held", waiting.GetProperty("name").GetString());
        Assert.StartsWith("waits for 1 argument to be ready: ", waiting.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var workerLog = await WorkerLogAsync(cluster, held.GetProperty("nodeId").GetString()!, held.GetProperty("workerPid").GetInt32());
        Assert.Contains("joined node", workerLog, StringComparison.Ordinal);

        // What the held task logged through its task logger is a line of that file, tagged with the task.
        var holding = workerLog.Split('\n').Where(line => line.Contains("Holding until", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var entry = Assert.Single(holding);
        Assert.Equal(held.GetProperty("taskId").GetString(), entry.GetProperty("task").GetString());
        Assert.Equal("ClusterTasks.NoteThenHold", entry.GetProperty("function").GetString());
        Assert.Equal("Plexus.Task", entry.GetProperty("category").GetString());
        Assert.EndsWith("release", entry.GetProperty("ReleaseFile").GetString(), StringComparison.Ordinal);
        Assert.Equal(held.GetProperty("workerPid").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), entry.GetProperty("pid").GetString());
    }

    // The driver's small put and small task return live in its own memory, not a store: listed with --all, with their
    // sizes and the driver holding them, and counted in the memory report's held bytes.
    private static async Task AssertHeldObjectsAsync(TestCluster cluster, string job)
    {
        var stores = await PlexusJsonAsync(cluster, "list", "objects", "--job", job, "--json");
        Assert.DoesNotContain(stores.GetProperty("objects").EnumerateArray(), o => o.GetProperty("isHeld").GetBoolean());

        var all = await PlexusJsonAsync(cluster, "list", "objects", "--job", job, "--all", "--json");
        // Owned inline values of those sizes (the driver holds other small ones too: its actor's, the squares' results).
        var held = all.GetProperty("objects").EnumerateArray()
            .Where(o => o.GetProperty("isHeld").GetBoolean() && o.GetProperty("location").GetString() == "inline").ToList();
        var put = Assert.Single(held, o => o.GetProperty("callSite").GetString() == "driver (put)" && o.GetProperty("size").GetInt64() is >= 40_000 and < 40_100);
        var made = Assert.Single(held, o => o.GetProperty("callSite").GetString() == "ClusterTasks.Bytes" && o.GetProperty("size").GetInt64() is >= 20_000 and < 20_100);
        Assert.Equal(1, put.GetProperty("handles").GetInt32());
        Assert.Equal(job, put.GetProperty("jobId").GetString());
        var holder = all.GetProperty("processes").EnumerateArray().Single(p =>
            p.GetProperty("nodeId").GetString() == put.GetProperty("nodeId").GetString() && p.GetProperty("process").GetInt32() == put.GetProperty("ownerProcess").GetInt32());
        Assert.True(holder.GetProperty("isDriver").GetBoolean() && holder.GetProperty("answered").GetBoolean(), holder.ToString());
        Assert.Equal(holder.GetProperty("pid").GetInt32(), put.GetProperty("ownerPid").GetInt32());
        Assert.True(holder.GetProperty("pid").GetInt32() > 0, holder.ToString());
        Assert.True(holder.GetProperty("inlineBytes").GetInt64() >= 60_000, holder.ToString());
        Assert.Equal((put.GetProperty("nodeId").GetString(), put.GetProperty("ownerProcess").GetInt32()), (made.GetProperty("nodeId").GetString(), made.GetProperty("ownerProcess").GetInt32()));
        // Every worker answers too (each holds at least the refs its tasks borrowed or made), and no node was silent.
        Assert.Contains(all.GetProperty("processes").EnumerateArray(), p => !p.GetProperty("isDriver").GetBoolean() && p.GetProperty("answered").GetBoolean());
        Assert.Empty(all.GetProperty("silentNodes").EnumerateArray());
        Assert.True(all.GetProperty("total").GetInt64() > stores.GetProperty("total").GetInt64(), all.ToString());

        var byJob = (await PlexusJsonAsync(cluster, "memory", "--group-by", "job", "--all", "--json")).GetProperty("groups").EnumerateArray()
            .Single(g => g.GetProperty("key").GetString() == job);
        Assert.True(byJob.GetProperty("heldBytes").GetInt64() >= put.GetProperty("size").GetInt64() + made.GetProperty("size").GetInt64(), byJob.ToString());
    }

    private static bool IsTheBlock(JsonElement o) =>
        o.GetProperty("callSite").GetString() == "ClusterTasks.Bytes" && o.GetProperty("location").GetString() == "memory";

    // The job's tasks that started are there (squares, the failure, the held one, the actor's call), each on its node's process
    // and a worker slot where no two spans overlap.
    private static void AssertTimeline(JsonElement trace)
    {
        var spans = trace.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        var names = spans.Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(8, names.Count(n => n == "ClusterTasks.Square"));
        Assert.Contains("StateScenario.Fail", names);
        Assert.Contains("ClusterTasks.NoteThenHold", names);
        Assert.Contains("Counter.Add", names);
        Assert.DoesNotContain("ClusterTasks.NodeAfter", names);
        foreach (var slot in spans.GroupBy(s => (s.GetProperty("pid").GetInt32(), s.GetProperty("tid").GetInt32())))
        {
            var ordered = slot.Select(s => (Start: s.GetProperty("ts").GetInt64(), End: s.GetProperty("ts").GetInt64() + s.GetProperty("dur").GetInt64()))
                .OrderBy(s => s.Start).ToList();
            Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start, $"spans {pair.First} and {pair.Second} overlap on {slot.Key}"));
        }

        Assert.Contains(trace.GetProperty("traceEvents").EnumerateArray(), e => e.GetProperty("name").GetString() == "process_name");
    }

    private static async Task<JsonElement> PlexusJsonAsync(TestCluster cluster, params string[] args)
    {
        var outcome = await HostCommand.RunAsync(Command(cluster, args), TimeSpan.FromMinutes(1));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        using var document = JsonDocument.Parse(outcome.StandardOutput);
        return document.RootElement.Clone();
    }

    private static CommandLine Command(TestCluster cluster, params string[] args) =>
        PlexusCli.Real().Command([.. args, "--address", cluster.HeadAddress, "--token-file", cluster.TokenFile]);
}
