using System.Buffers.Binary;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Hosting;
using Plexus.Node;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Cli.Tests;

/// <summary>
/// <c>plexus list objects</c>, <c>plexus memory</c>, a task pending its arguments in <c>plexus list tasks</c>, and
/// <c>plexus logs --node</c>, against a real control service to which a node (played here) reported its store and
/// serves its log directory.
/// </summary>
public sealed class ObjectAndLogCommandsTests : IAsyncLifetime, IDisposable
{
    private const string JobHex = "0102030405060708090a0b0c0d0e0f10";
    private const string NodeHex = "0b11223344556677";
    private const long BlockBytes = 300_000;

    private readonly TempDirectory _directory = new();
    private ControlServerFixture _control = null!;

    public async Task InitializeAsync()
    {
        _control = await ControlServerFixture.StartAsync();
        await _control.Client.RegisterNodeAsync(Convert.FromHexString(NodeHex), "tcp:10.0.0.6:7001", new Dictionary<string, double> { ["CPU"] = 2 }, pid: 4243);
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ListObjectsShowsAStoredObjectWithItsSizePlaceAndCallSite()
    {
        await ReportStoreAsync();

        var result = await Cli().RunAsync("list", "objects", "--job", JobHex, "--json", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var block = Assert.Single(json.RootElement.GetProperty("objects").EnumerateArray());
        Assert.Equal(BlockBytes, block.GetProperty("size").GetInt64());
        Assert.Equal("Work.Block", block.GetProperty("callSite").GetString());
        Assert.Equal("memory", block.GetProperty("location").GetString());
        Assert.False(block.GetProperty("isCopy").GetBoolean());
        Assert.Equal(NodeHex, block.GetProperty("nodeId").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task MemoryGroupsTheStoresObjectsAndShowsEachNodesStore()
    {
        await ReportStoreAsync();

        var result = await Cli().RunAsync("memory", "--group-by", "callsite", "--json", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var group = Assert.Single(json.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal(("Work.Block", BlockBytes, 1L), (group.GetProperty("key").GetString(), group.GetProperty("bytes").GetInt64(), group.GetProperty("objects").GetInt64()));
        var store = Assert.Single(json.RootElement.GetProperty("nodes").EnumerateArray());
        Assert.Equal((NodeHex, 1L << 30), (store.GetProperty("nodeId").GetString(), store.GetProperty("capacityBytes").GetInt64()));
    }

    [Fact]
    public async Task ATaskWaitingForItsArgumentsIsListedPendingArgsWithWhatItWaitsFor()
    {
        var report = new Proto.ReportTaskEventsRequest { NodeId = ByteString.CopyFrom(Convert.FromHexString(NodeHex)) };
        report.Events.Add(new Proto.TaskEvent
        {
            TaskId = TaskBytes(9),
            Kind = Proto.TaskEventKind.EventPendingArgs,
            UnixMicros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000,
            Name = "Work.After",
            Reason = "waits for 1 argument to be ready: 0102",
        });
        await _control.Client.ReportTaskEventsAsync(report);

        var listed = await Cli().RunAsync("list", "tasks", "--state", "pending_args", "--json", "--address", _control.HostPort);
        var summary = await Cli().RunAsync("summary", "tasks", "--json", "--address", _control.HostPort);

        Assert.True(listed.ExitCode == ExitCodes.Success, listed.ToString());
        using var json = JsonDocument.Parse(listed.Output);
        var task = Assert.Single(json.RootElement.GetProperty("tasks").EnumerateArray());
        Assert.Equal(("Work.After", "PendingArgs"), (task.GetProperty("name").GetString(), task.GetProperty("state").GetString()));
        Assert.Equal("waits for 1 argument to be ready: 0102", task.GetProperty("reason").GetString());
        Assert.Contains("\"PendingArgs\": 1", summary.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsOfANodesProcessAreReadThroughTheHead()
    {
        var logs = Directory.CreateDirectory(Path.Combine(_directory.Path, "node-logs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(logs, "worker-77.log"), "{\"message\":\"first\"}\n{\"message\":\"second\"}\n");
        await File.WriteAllTextAsync(Path.Combine(logs, "node-12.log"), "{\"message\":\"node line\"}\n");
        await using var server = new NodeRequestServer(_control.Client, Convert.FromHexString(NodeHex), new NodeLogDirectory(logs), node: null, NullLogger.Instance);

        var tail = await Cli().RunAsync("logs", "--node", NodeHex, "--process", "worker-77", "--tail", "1", "--address", _control.HostPort);
        var node = await Cli().RunAsync("logs", "--node", NodeHex, "--address", _control.HostPort);
        var list = await Cli().RunAsync("logs", "--node", NodeHex, "--list", "--address", _control.HostPort);
        var missing = await Cli().RunAsync("logs", "--node", NodeHex, "--process", "worker-78", "--address", _control.HostPort);

        Assert.True(tail.ExitCode == ExitCodes.Success, tail.ToString());
        Assert.Equal("{\"message\":\"second\"}\n", tail.Output);
        Assert.Equal("{\"message\":\"node line\"}\n", node.Output);
        Assert.Equal(["node-12.log", "worker-77.log"], list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]));
        Assert.True(missing.ExitCode == ExitCodes.Failure, missing.ToString());
        Assert.Contains("worker-77.log", missing.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memory", "--group-by", "function")]
    [InlineData("list", "objects", "--limit", "0")]
    [InlineData("list", "objects", "--node", "xyz")]
    [InlineData("logs", "sub-0123456789abcdef", "--node", NodeHex)]
    [InlineData("logs", "sub-0123456789abcdef", "--tail", "5")]
    [InlineData("logs", "--node", NodeHex, "--tail", "0")]
    public async Task WrongFlagsAreAUsageError(params string[] args)
    {
        var result = await Cli().RunAsync([.. args, "--address", _control.HostPort]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    // The node's store: one 300 000-byte return of task 2 ("Work.Block", which the node reported finished; path 1 is the driver).
    private async Task ReportStoreAsync()
    {
        var report = new Proto.ReportTaskEventsRequest { NodeId = ByteString.CopyFrom(Convert.FromHexString(NodeHex)) };
        report.Events.Add(new Proto.TaskEvent
        {
            TaskId = TaskBytes(2), Kind = Proto.TaskEventKind.EventFinished, UnixMicros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000, Name = "Work.Block",
        });
        var objectId = new byte[28];
        TaskBytes(2).Span.CopyTo(objectId);
        BinaryPrimitives.WriteUInt32BigEndian(objectId.AsSpan(24), 1);
        report.Store = new Proto.StoreReport { CapacityBytes = 1L << 30, UsedBytes = BlockBytes, ObjectCount = 1 };
        report.Store.Jobs.Add(new Proto.JobStoreUsage { JobId = ByteString.CopyFrom(Convert.FromHexString(JobHex)), Bytes = BlockBytes, Objects = 1 });
        report.Store.Objects.Add(new Proto.StoredObjectEntry
        {
            ObjectId = ByteString.CopyFrom(objectId), Size = BlockBytes, Location = Proto.ObjectLocation.InMemory, OwnerProcess = 0, OwnerPid = 4243,
        });
        await _control.Client.ReportTaskEventsAsync(report);
    }

    private static ByteString TaskBytes(ulong path)
    {
        var id = new byte[24];
        Convert.FromHexString(JobHex).CopyTo(id, 0);
        BinaryPrimitives.WriteUInt64BigEndian(id.AsSpan(16), path);
        return ByteString.CopyFrom(id);
    }

    private CliRun Cli() => new CliRun(_directory.Path).WithVariable("PLEXUS_TOKEN", ControlServerFixture.Token);
}
