using Google.Protobuf;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests;

/// <summary>
/// The read-only token reads the state API's queries and the lists of nodes and jobs, and nothing
/// else: every other call made with it is refused with <see cref="ReadOnlyTokenRefusedException"/>, whose message names it.
/// </summary>
public sealed class ReadOnlyTokenTests
{
    private const string ReadOnly = "test-read-only-token";

    [Fact]
    public async Task TheReadOnlyTokenReadsTheStateApi()
    {
        await using var server = await StartAsync();
        await using var state = ClusterState.Connect(server.Address, ReadOnly);

        var page = await state.ListTasksAsync();
        var actors = await state.ListActorsAsync();
        var summary = await state.SummarizeTasksAsync();
        var workers = await state.ListWorkersAsync();

        Assert.Equal(0, page.Total);
        Assert.Empty(actors);
        Assert.Empty(summary);
        Assert.Empty(workers);
    }

    [Fact]
    public async Task TheReadOnlyTokenListsNodesAndJobs()
    {
        await using var server = await StartAsync();
        await using var readOnly = new ControlClient(server.Address, ReadOnly);
        await using var cluster = new ControlClient(server.Address, ControlTestCluster.Token);
        var node = ControlTestCluster.NewId();
        var job = ControlTestCluster.NewId();
        await cluster.RegisterNodeAsync(node, "tcp://127.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = 2 }, pid: 1);
        await cluster.RegisterJobAsync(job, driverPid: 2, "default", "Driver.dll");

        var nodes = await readOnly.ListNodesAsync();
        var jobs = await readOnly.ListJobsAsync();

        Assert.Equal(node, Assert.Single(nodes).NodeId);
        Assert.Equal(job, Assert.Single(jobs).JobId);
    }

    [Fact]
    public async Task TheReadOnlyTokenReadsObjectsTheMemoryReportAndNodeLogs()
    {
        await using var server = await StartAsync();
        await using var readOnly = new ControlClient(server.Address, ReadOnly);
        var absent = ByteString.CopyFrom(ControlTestCluster.NewId()[..8]);

        var objects = await readOnly.ListObjectsAsync(new Proto.ListObjectsRequest());
        var memory = await readOnly.GetMemoryReportAsync(new Proto.GetMemoryReportRequest());
        // The call is let through: the service itself answers that no such node is alive.
        var log = await Record.ExceptionAsync(() => readOnly.ReadNodeLogAsync(new Proto.ReadNodeLogRequest { NodeId = absent }));

        Assert.Equal(0, objects.Total);
        Assert.Empty(memory.Nodes);
        Assert.NotNull(log);
        Assert.IsNotType<ReadOnlyTokenRefusedException>(log);
        Assert.Contains("not an alive node", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReadOnlyTokenIsRefusedEveryCallThatIsNoStateQueryNamingIt()
    {
        await using var server = await StartAsync();
        await using var readOnly = new ControlClient(server.Address, ReadOnly);
        await using var cluster = new ControlClient(server.Address, ControlTestCluster.Token);

        var register = await Assert.ThrowsAsync<ReadOnlyTokenRefusedException>(
            () => readOnly.RegisterNodeAsync(ControlTestCluster.NewId(), "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1));
        await Assert.ThrowsAsync<ReadOnlyTokenRefusedException>(() => readOnly.RegisterJobAsync(ControlTestCluster.NewId(), driverPid: 2, "default", "Driver.dll"));
        await Assert.ThrowsAsync<ReadOnlyTokenRefusedException>(() => readOnly.FinishJobAsync(ControlTestCluster.NewId()));
        await Assert.ThrowsAsync<ReadOnlyTokenRefusedException>(() => readOnly.ReportTaskEventsAsync(
            new Proto.ReportTaskEventsRequest { NodeId = ByteString.CopyFrom(ControlTestCluster.NewId()) }));
        await Assert.ThrowsAsync<ReadOnlyTokenRefusedException>(() => readOnly.SubmitJobAsync(new Proto.SubmitJobRequest()));
        await Assert.ThrowsAsync<ReadOnlyTokenRefusedException>(() => readOnly.StopJobAsync("sub-0000000000000000"));
        await Assert.ThrowsAsync<ReadOnlyTokenRefusedException>(() => readOnly.GetDashboardAccessAsync());

        Assert.Contains("read-only token", register.Message, StringComparison.Ordinal);
        Assert.Contains("cluster token", register.Message, StringComparison.Ordinal);
        Assert.Equal("RegisterNode", register.Operation);
        Assert.Empty(await cluster.ListNodesAsync());
    }

    [Fact]
    public async Task AWrongTokenIsStillRejectedAsNotTheClusters()
    {
        await using var server = await StartAsync();
        await using var stranger = ClusterState.Connect(server.Address, "not-a-token-of-this-cluster");

        var refused = await Assert.ThrowsAsync<ClusterStateUnavailableException>(() => stranger.ListTasksAsync());

        Assert.IsType<ClusterTokenRejectedException>(refused.InnerException);
    }

    [Fact]
    public async Task DashboardAccessTellsTheClusterTokenThePortAndTheReadOnlyToken()
    {
        await using var server = await StartAsync();
        await using var cluster = new ControlClient(server.Address, ControlTestCluster.Token);

        var access = await cluster.GetDashboardAccessAsync();

        Assert.Equal(8265, access.Port);
        Assert.Equal(ReadOnly, access.ReadOnlyToken);
    }

    [Fact]
    public async Task AReadOnlyTokenEqualToTheClusterTokenIsRefusedAtStart()
    {
        var options = new ControlServerOptions { ClusterToken = ControlTestCluster.Token, ReadOnlyToken = ControlTestCluster.Token };

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => ControlServer.StartAsync(options));

        Assert.Contains("ReadOnlyToken", refused.Message, StringComparison.Ordinal);
    }

    private static Task<ControlServer> StartAsync() => ControlServer.StartAsync(new ControlServerOptions
    {
        ClusterToken = ControlTestCluster.Token,
        ReadOnlyToken = ReadOnly,
        DashboardPort = 8265,
    });
}
