using System.Net;
using Google.Protobuf;
using System.Text.Json;
using System.Text.RegularExpressions;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Dashboard.Tests;

/// <summary>What the dashboard's JSON API answers, read in-process from the control service.</summary>
public sealed partial class DashboardApiTests
{
    [Fact]
    public async Task TheOverviewShowsEachNodesUseFromItsLatestHeartbeat()
    {
        await using var harness = await DashboardHarness.StartAsync();
        var node = DashboardHarness.NodeId(1);
        await harness.Control.RegisterNodeAsync(node, "tcp:10.0.0.5:7000", new Dictionary<string, double> { ["CPU"] = 4, ["object_store_memory"] = 1000 }, pid: 42);
        await harness.Control.HeartbeatAsync(node, new Dictionary<string, double> { ["CPU"] = 3, ["object_store_memory"] = 250 });
        using var browser = await harness.SignedInAsync();

        var overview = await DashboardHarness.JsonAsync(browser, "/api/overview");

        Assert.Equal(1, overview.GetProperty("aliveNodes").GetInt32());
        var shown = Assert.Single(overview.GetProperty("nodes").EnumerateArray());
        Assert.Equal("0000000000000001", shown.GetProperty("nodeId").GetString());
        Assert.Equal("ALIVE", shown.GetProperty("state").GetString());
        var resources = shown.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => (r.GetProperty("used").GetDouble(), r.GetProperty("total").GetDouble()));
        Assert.Equal((3, 4), resources["CPU"]);
        Assert.Equal((250, 1000), resources["object_store_memory"]);
        var store = Assert.Single((await DashboardHarness.JsonAsync(browser, "/api/objects")).GetProperty("nodes").EnumerateArray());
        Assert.Equal(250, store.GetProperty("usedBytes").GetInt64());
        Assert.Equal(1000, store.GetProperty("capacityBytes").GetInt64());
    }

    [Fact]
    public async Task TasksAreFilteredByStateAndJobAndPagedByTheTable()
    {
        await using var harness = await DashboardHarness.StartAsync();
        var node = DashboardHarness.NodeId(1);
        byte[] jobA = DashboardHarness.JobId(0xA), jobB = DashboardHarness.JobId(0xB);
        var events = new List<Proto.TaskEvent>();
        for (ulong i = 1; i <= 3; i++)
        {
            var task = DashboardHarness.TaskId(jobA, i);
            events.Add(DashboardHarness.Event(task, Proto.TaskEventKind.EventStarted, (long)i * 100, "Square", workerPid: 7));
            events.Add(DashboardHarness.Event(task, Proto.TaskEventKind.EventFinished, (long)i * 100 + 50));
        }

        events.Add(DashboardHarness.Event(DashboardHarness.TaskId(jobA, 4), Proto.TaskEventKind.EventStarted, 500, "Hold", workerPid: 7));
        events.Add(DashboardHarness.Event(DashboardHarness.TaskId(jobB, 1), Proto.TaskEventKind.EventStarted, 600, "Square", workerPid: 8));
        events.Add(DashboardHarness.Event(DashboardHarness.TaskId(jobB, 1), Proto.TaskEventKind.EventFinished, 650));
        await harness.ReportAsync(node, [.. events]);
        using var browser = await harness.SignedInAsync();
        var a = Convert.ToHexStringLower(jobA);

        var first = await DashboardHarness.JsonAsync(browser, $"/api/tasks?state=Finished&job={a}&limit=2");
        var second = await DashboardHarness.JsonAsync(browser, $"/api/tasks?state=Finished&job={a}&limit=2&pageToken={Uri.EscapeDataString(first.GetProperty("nextPageToken").GetString()!)}");
        var running = await DashboardHarness.JsonAsync(browser, $"/api/tasks?state=running&job={a}");

        Assert.Equal(3, first.GetProperty("total").GetInt64());
        Assert.Equal(2, first.GetProperty("tasks").GetArrayLength());
        Assert.Equal(1, second.GetProperty("tasks").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextPageToken").ValueKind);
        var ids = first.GetProperty("tasks").EnumerateArray().Concat(second.GetProperty("tasks").EnumerateArray()).Select(t => t.GetProperty("taskId").GetString()).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith(a, id, StringComparison.Ordinal));
        var hold = Assert.Single(running.GetProperty("tasks").EnumerateArray());
        Assert.Equal("Hold", hold.GetProperty("name").GetString());
        Assert.Equal("Running", hold.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("/api/tasks?state=Sleeping", "state 'Sleeping'")]
    [InlineData("/api/tasks?limit=0", "limit '0'")]
    [InlineData("/api/tasks?job=xyz", "'xyz' is not an id")]
    [InlineData("/api/timeline", "job is missing")]
    [InlineData("/api/logs?submission=sub-0000000000000000", "sub-0000000000000000")]
    public async Task AMalformedQueryIsA400SayingWhatIsWrong(string path, string said)
    {
        await using var harness = await DashboardHarness.StartAsync();
        using var browser = await harness.SignedInAsync();

        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(said, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTimelinePutsOverlappingSpansOnSeparateSlotsAndDownloadsAsAChromeTrace()
    {
        await using var harness = await DashboardHarness.StartAsync();
        var node = DashboardHarness.NodeId(1);
        var job = DashboardHarness.JobId(0xC);
        ByteString[] tasks = [DashboardHarness.TaskId(job, 1), DashboardHarness.TaskId(job, 2), DashboardHarness.TaskId(job, 3)];
        // 1 and 2 overlap; 3 starts after 1 ended, so it may reuse 1's slot.
        await harness.ReportAsync(
            node,
            DashboardHarness.Event(tasks[0], Proto.TaskEventKind.EventStarted, 1_000, "F", workerPid: 5),
            DashboardHarness.Event(tasks[1], Proto.TaskEventKind.EventStarted, 1_500, "F", workerPid: 5),
            DashboardHarness.Event(tasks[0], Proto.TaskEventKind.EventFinished, 2_000),
            DashboardHarness.Event(tasks[2], Proto.TaskEventKind.EventStarted, 2_500, "G", workerPid: 5),
            DashboardHarness.Event(tasks[1], Proto.TaskEventKind.EventFinished, 3_000),
            DashboardHarness.Event(tasks[2], Proto.TaskEventKind.EventFinished, 3_500));
        using var browser = await harness.SignedInAsync();
        var hex = Convert.ToHexStringLower(job);

        var timeline = await DashboardHarness.JsonAsync(browser, $"/api/timeline?job={hex}");
        using var download = await browser.GetAsync(new Uri($"/api/timeline/trace?job={hex}", UriKind.Relative));

        Assert.Equal(["0000000000000001"], timeline.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        var slots = timeline.GetProperty("spans").EnumerateArray().Select(s => (Start: s.GetProperty("startMicros").GetInt64(), Slot: s.GetProperty("slot").GetInt32())).ToList();
        Assert.Equal([(1_000L, 0), (1_500L, 1), (2_500L, 0)], slots);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        using var trace = JsonDocument.Parse(await download.Content.ReadAsStringAsync());
        var spans = trace.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        Assert.Equal(["F", "F", "G"], spans.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([1, 2, 1], spans.Select(s => s.GetProperty("tid").GetInt32()));
    }

    [Fact]
    public async Task JobsListTheJobsDriversRegistered()
    {
        await using var harness = await DashboardHarness.StartAsync();
        var job = DashboardHarness.JobId(0xD);
        await harness.Control.RegisterJobAsync(job, driverPid: 99, "default", "Driver.dll");
        using var browser = await harness.SignedInAsync();

        var jobs = await DashboardHarness.JsonAsync(browser, "/api/jobs");

        var listed = Assert.Single(jobs.GetProperty("jobs").EnumerateArray());
        Assert.Equal(Convert.ToHexStringLower(job), listed.GetProperty("jobId").GetString());
        Assert.Equal("RUNNING", listed.GetProperty("state").GetString());
        Assert.Equal(0, jobs.GetProperty("submissions").GetArrayLength());
    }

    [Fact]
    public async Task EveryScriptTheIndexListsIsServedFromTheAssembly()
    {
        await using var harness = await DashboardHarness.StartAsync();
        using var browser = await harness.SignedInAsync();

        var index = await browser.GetStringAsync(new Uri("/", UriKind.Relative));
        var scripts = ScriptSource().Matches(index).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("/assets/pages/tasks.js", scripts);
        foreach (var script in scripts.Append("/assets/app.css"))
        {
            using var response = await browser.GetAsync(new Uri(script, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, script);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0, script);
        }
    }

    [GeneratedRegex("<script src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
