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
    [InlineData("/api/objects?node=xyz", "'xyz' is not an id")]
    [InlineData("/api/memory?groupBy=Size", "groupBy 'Size'")]
    [InlineData("/api/objects?held=yes", "held 'yes' is not true or false")]
    [InlineData("/api/memory?held=1", "held '1' is not true or false")]
    [InlineData("/api/node-logs", "node is missing")]
    [InlineData("/api/node-logs?node=00000000000000ff", "not an alive node")]
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
    public async Task ObjectsAreListedByJobWithTheTaskThatMadeThemAndTheMemoryReportGroupsThem()
    {
        await using var harness = await DashboardHarness.StartAsync();
        var node = DashboardHarness.NodeId(1);
        byte[] job = DashboardHarness.JobId(0xE), other = DashboardHarness.JobId(0xF);
        await harness.Control.RegisterNodeAsync(node, "tcp:10.0.0.5:7000", new Dictionary<string, double> { ["CPU"] = 4 }, pid: 42);
        var task = DashboardHarness.TaskId(job, 0x77);
        var store = new Proto.StoreReport { CapacityBytes = 1_000_000, UsedBytes = 300_000, ObjectCount = 1 };
        store.Jobs.Add(new Proto.JobStoreUsage { JobId = ByteString.CopyFrom(job), Bytes = 300_000, Objects = 1 });
        store.Objects.Add(new Proto.StoredObjectEntry { ObjectId = DashboardHarness.ObjectId(task, 1), Size = 300_000, Location = Proto.ObjectLocation.InMemory, OwnerPid = 7 });
        await harness.ReportAsync(
            node,
            store,
            DashboardHarness.Event(task, Proto.TaskEventKind.EventStarted, 100, "Make.Array", workerPid: 7),
            DashboardHarness.Event(task, Proto.TaskEventKind.EventFinished, 200));
        using var browser = await harness.SignedInAsync();

        var ofJob = await DashboardHarness.JsonAsync(browser, $"/api/objects?job={Convert.ToHexStringLower(job)}");
        var ofOther = await DashboardHarness.JsonAsync(browser, $"/api/objects?job={Convert.ToHexStringLower(other)}");
        var byJob = await DashboardHarness.JsonAsync(browser, "/api/memory?groupBy=Job");
        var byCallSite = await DashboardHarness.JsonAsync(browser, "/api/memory?groupBy=callSite");

        var listed = Assert.Single(ofJob.GetProperty("objects").EnumerateArray());
        Assert.Equal(DashboardHarness.ObjectId(task, 1).ToByteArray(), Convert.FromHexString(listed.GetProperty("objectId").GetString()!));
        Assert.Equal(300_000, listed.GetProperty("size").GetInt64());
        Assert.Equal("memory", listed.GetProperty("location").GetString());
        Assert.Equal("Make.Array", listed.GetProperty("callSite").GetString());
        Assert.Equal("0000000000000001", listed.GetProperty("nodeId").GetString());
        Assert.Equal(1, ofJob.GetProperty("total").GetInt64());
        Assert.Equal(0, ofOther.GetProperty("objects").GetArrayLength());
        var group = Assert.Single(byJob.GetProperty("groups").EnumerateArray());
        Assert.Equal((Convert.ToHexStringLower(job), 300_000L), (group.GetProperty("key").GetString(), group.GetProperty("bytes").GetInt64()));
        Assert.Equal("Make.Array", Assert.Single(byCallSite.GetProperty("groups").EnumerateArray()).GetProperty("key").GetString());
        var usage = Assert.Single(byJob.GetProperty("nodes").EnumerateArray());
        Assert.Equal((1_000_000L, 300_000L), (usage.GetProperty("capacityBytes").GetInt64(), usage.GetProperty("usedBytes").GetInt64()));
    }

    [Fact]
    public async Task NodeLogsListTheNodesFilesAndReadOneFromAnOffsetTheNodeAnswers()
    {
        await using var harness = await DashboardHarness.StartAsync();
        var node = DashboardHarness.NodeId(1);
        await harness.Control.RegisterNodeAsync(node, "tcp:10.0.0.5:7000", new Dictionary<string, double> { ["CPU"] = 4 }, pid: 42);
        using var browser = await harness.SignedInAsync();
        var reply = new Proto.ReadNodeLogReply();
        reply.Files.Add(new Proto.LogFileInfo { Name = "worker-7.log", Size = 40, ModifiedUnixMicros = 5_000_000 });

        var listing = harness.AnsweringLogRequestAsync(node, reply, () => DashboardHarness.JsonAsync(browser, "/api/node-logs?node=0000000000000001"));
        var files = await listing.Result;
        var read = harness.AnsweringLogRequestAsync(
            node,
            new Proto.ReadNodeLogReply { Data = ByteString.CopyFromUtf8("line two\n"), Offset = 30, Size = 39 },
            () => DashboardHarness.JsonAsync(browser, "/api/node-logs?node=0000000000000001&file=worker-7.log&offset=30"));
        var chunk = await read.Result;

        var file = Assert.Single(files.GetProperty("files").EnumerateArray());
        Assert.Equal(("worker-7.log", 40L, 5000L), (file.GetProperty("name").GetString(), file.GetProperty("size").GetInt64(), file.GetProperty("modifiedUnixMs").GetInt64()));
        Assert.Equal("", listing.Asked.File);
        Assert.Equal(("worker-7.log", 30L), (read.Asked.File, read.Asked.Offset));
        Assert.Equal("line two\n", chunk.GetProperty("text").GetString());
        Assert.Equal((30L, 39L), (chunk.GetProperty("offset").GetInt64(), chunk.GetProperty("nextOffset").GetInt64()));
    }

    [Fact]
    public async Task ANodeLogWithNoOffsetIsItsTail()
    {
        await using var harness = await DashboardHarness.StartAsync();
        var node = DashboardHarness.NodeId(1);
        await harness.Control.RegisterNodeAsync(node, "tcp:10.0.0.5:7000", new Dictionary<string, double> { ["CPU"] = 4 }, pid: 42);
        using var browser = await harness.SignedInAsync();

        var read = harness.AnsweringLogRequestAsync(
            node, new Proto.ReadNodeLogReply(), () => DashboardHarness.JsonAsync(browser, "/api/node-logs?node=0000000000000001&file=node.log"));
        await read.Result;

        Assert.True(read.Asked.Offset < 0, $"asked from {read.Asked.Offset}");
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
