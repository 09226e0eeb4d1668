using System.Buffers.Binary;
using System.Text.Json;
using Google.Protobuf;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Cli.Tests;

/// <summary><c>plexus list</c>, <c>summary</c> and <c>timeline</c> against a real control service holding reported task events.</summary>
public sealed class StateCommandsTests : IAsyncLifetime, IDisposable
{
    private const string JobHex = "0102030405060708090a0b0c0d0e0f10";
    private const string NodeHex = "0a11223344556677";
    private static readonly long Start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    private readonly TempDirectory _directory = new();
    private ControlServerFixture _control = null!;

    public async Task InitializeAsync()
    {
        _control = await ControlServerFixture.StartAsync();
        var node = Convert.FromHexString(NodeHex);
        await _control.Client.RegisterNodeAsync(node, "tcp:10.0.0.5:7001", new Dictionary<string, double> { ["CPU"] = 2 }, pid: 4242);
        var report = new Proto.ReportTaskEventsRequest { NodeId = ByteString.CopyFrom(node) };
        // Two finished "Work.Square" (overlapping in time), one running "Work.Slow", one infeasible "Work.Huge".
        report.Events.Add(Step(1, Proto.TaskEventKind.EventSubmitted, 0, "Work.Square"));
        report.Events.Add(Step(1, Proto.TaskEventKind.EventStarted, 10, "Work.Square", pid: 100));
        report.Events.Add(Step(2, Proto.TaskEventKind.EventStarted, 20, "Work.Square", pid: 101));
        report.Events.Add(Step(1, Proto.TaskEventKind.EventFinished, 1000, "Work.Square", pid: 100));
        report.Events.Add(Step(2, Proto.TaskEventKind.EventFinished, 1020, "Work.Square", pid: 101));
        report.Events.Add(Step(3, Proto.TaskEventKind.EventStarted, 1100, "Work.Slow", pid: 100));
        var huge = Step(4, Proto.TaskEventKind.EventInfeasible, 1200, "Work.Huge");
        huge.Reason = "no node of the cluster can run it: asks for 64 CPUs";
        report.Events.Add(huge);
        report.Workers.Add(new Proto.WorkerProcess { NodeId = ByteString.CopyFrom(node), Process = 1, Pid = 100, State = "busy" });
        await _control.Client.ReportTaskEventsAsync(report);
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ListTasksFiltersOnTheServerAndPrintsJson()
    {
        var result = await Cli().RunAsync("list", "tasks", "--state", "running", "--job", JobHex, "--limit", "50", "--json", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var task = Assert.Single(json.RootElement.GetProperty("tasks").EnumerateArray());
        Assert.Equal("Work.Slow", task.GetProperty("name").GetString());
        Assert.Equal("Running", task.GetProperty("state").GetString());
        Assert.Equal(NodeHex, task.GetProperty("nodeId").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task ListTasksPagesWithTheTokenItPrints()
    {
        var first = await Cli().RunAsync("list", "tasks", "--limit", "3", "--json", "--address", _control.HostPort);
        using var firstJson = JsonDocument.Parse(first.Output);
        var token = firstJson.RootElement.GetProperty("nextPageToken").GetString()!;

        var second = await Cli().RunAsync("list", "tasks", "--limit", "3", "--page-token", token, "--json", "--address", _control.HostPort);

        using var secondJson = JsonDocument.Parse(second.Output);
        var rest = secondJson.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Work.Huge"], rest);
        Assert.Equal(JsonValueKind.Null, secondJson.RootElement.GetProperty("nextPageToken").ValueKind);
    }

    [Fact]
    public async Task ThePendingTasksReasonIsShownInTheTable()
    {
        var result = await Cli().RunAsync("list", "tasks", "--state", "INFEASIBLE", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("Work.Huge", result.Output, StringComparison.Ordinal);
        Assert.Contains("asks for 64 CPUs", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SummaryCountsTasksByFunctionAndState()
    {
        var result = await Cli().RunAsync("summary", "tasks", "--job", JobHex, "--json", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var counts = json.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("counts").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt64()));
        Assert.Equal(new Dictionary<string, long> { ["Finished"] = 2 }, counts["Work.Square"]);
        Assert.Equal(new Dictionary<string, long> { ["Running"] = 1 }, counts["Work.Slow"]);
        Assert.Equal(new Dictionary<string, long> { ["Infeasible"] = 1 }, counts["Work.Huge"]);
    }

    [Fact]
    public async Task ListWorkersShowsWhatTheNodeReported()
    {
        var result = await Cli().RunAsync("list", "workers", "--json", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var worker = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(100, worker.GetProperty("pid").GetInt32());
        Assert.Equal("busy", worker.GetProperty("state").GetString());
    }

    [Fact]
    public async Task TimelineWritesATraceWithNonOverlappingSpansPerSlot()
    {
        var file = Path.Combine(_directory.Path, "trace.json");

        var result = await Cli().RunAsync("timeline", "--job", JobHex, "-o", file, "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var trace = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var spans = trace.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        Assert.Equal(["Work.Square", "Work.Square", "Work.Slow"], spans.Select(s => s.GetProperty("name").GetString()));
        Assert.All(spans.GroupBy(s => (s.GetProperty("pid").GetInt32(), s.GetProperty("tid").GetInt32())), slot =>
        {
            var ordered = slot.Select(s => (Start: s.GetProperty("ts").GetInt64(), End: s.GetProperty("ts").GetInt64() + s.GetProperty("dur").GetInt64())).OrderBy(s => s.Start).ToList();
            Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start, $"{pair.First} overlaps {pair.Second}"));
        });
        Assert.Equal(2, spans.Select(s => s.GetProperty("tid").GetInt32()).Distinct().Count());
        Assert.Contains(trace.RootElement.GetProperty("traceEvents").EnumerateArray(), e => e.GetProperty("name").GetString() == "thread_name");
    }

    [Theory]
    [InlineData("list", "tasks", "--state", "sleeping")]
    [InlineData("list", "tasks", "--job", "xyz")]
    [InlineData("list", "tasks", "--limit", "0")]
    [InlineData("list", "actors", "--state", "running")]
    [InlineData("list", "things")]
    [InlineData("summary", "tasks", "--node", "1")]
    [InlineData("timeline", "-o", "trace.json")]
    [InlineData("timeline", "--job", JobHex)]
    public async Task WrongFlagsAreAUsageError(params string[] args)
    {
        var result = await Cli().RunAsync([.. args, "--address", _control.HostPort]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    private static Proto.TaskEvent Step(ulong path, Proto.TaskEventKind kind, long micros, string name, int pid = 0)
    {
        var id = new byte[24];
        Convert.FromHexString(JobHex).CopyTo(id, 0);
        BinaryPrimitives.WriteUInt64BigEndian(id.AsSpan(16), path);
        return new Proto.TaskEvent { TaskId = ByteString.CopyFrom(id), Kind = kind, UnixMicros = Start + micros, Name = name, WorkerPid = pid };
    }

    private CliRun Cli() => new CliRun(_directory.Path).WithVariable("PLEXUS_TOKEN", ControlServerFixture.Token);
}
