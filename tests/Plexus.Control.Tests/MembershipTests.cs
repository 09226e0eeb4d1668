namespace Plexus.Control.Tests;

public sealed class MembershipTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RegisteredNodeIsListedAliveWithItsResources()
    {
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatInterval: TimeSpan.FromMilliseconds(250), heartbeatTimeout: TimeSpan.FromSeconds(30));
        byte[] nodeId = ControlTestCluster.NewId();

        var registration = await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = 8, ["GPU"] = 1 }, pid: 4242);

        Assert.True(registration.Accepted);
        Assert.Equal(TimeSpan.FromMilliseconds(250), registration.HeartbeatInterval);
        var node = Assert.Single(await cluster.Client.ListNodesAsync());
        Assert.Equal(nodeId, node.NodeId);
        Assert.Equal("tcp://127.0.0.1:7001", node.Address);
        Assert.Equal(4242, node.Pid);
        Assert.Equal(NodeState.Alive, node.State);
        Assert.Equal(8, node.Resources["CPU"]);
        Assert.Equal(1, node.Resources["GPU"]);
        Assert.Null(node.DeathReason);
    }

    [Fact]
    public async Task HeartbeatReportsResourceUsage()
    {
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(30));
        byte[] nodeId = ControlTestCluster.NewId();
        await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = 4 }, pid: 1);

        bool known = await cluster.Client.HeartbeatAsync(nodeId, new Dictionary<string, double> { ["CPU"] = 2.5 });

        Assert.True(known);
        var node = await cluster.FindNodeAsync(nodeId);
        Assert.Equal(2.5, node!.ResourceUsage["CPU"]);
    }

    [Fact]
    public async Task NodeThatStopsHeartbeatingIsMarkedDead()
    {
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromMilliseconds(300), heartbeatInterval: TimeSpan.FromMilliseconds(100));
        var died = new TaskCompletionSource<NodeDiedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.Server.NodeDied += (_, e) => died.TrySetResult(e);
        byte[] nodeId = ControlTestCluster.NewId();
        await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);

        var dead = await Eventually.ValueAsync(() => cluster.FindNodeAsync(nodeId), n => n?.State == NodeState.Dead, "the silent node is DEAD", Deadline);

        Assert.NotNull(dead!.DeathReason);
        Assert.True(dead.LastHeartbeatAge >= TimeSpan.FromMilliseconds(300));
        var e = await died.Task.WaitAsync(Deadline);
        Assert.Equal(nodeId, e.NodeId);
        Assert.Equal(NodeDeathCause.HeartbeatTimeout, e.Cause);
        Assert.False(await cluster.Client.HeartbeatAsync(nodeId), "a DEAD node must register again, not be resurrected by a heartbeat");
    }

    [Fact]
    public async Task UnregisteredNodeIsDeadAndUnknownToHeartbeats()
    {
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(30));
        var died = new TaskCompletionSource<NodeDiedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.Server.NodeDied += (_, e) => died.TrySetResult(e);
        byte[] nodeId = ControlTestCluster.NewId();
        await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);

        Assert.True(await cluster.Client.UnregisterNodeAsync(nodeId));

        Assert.Equal(NodeState.Dead, (await cluster.FindNodeAsync(nodeId))!.State);
        Assert.Equal(NodeDeathCause.Unregistered, (await died.Task.WaitAsync(Deadline)).Cause);
        Assert.False(await cluster.Client.HeartbeatAsync(nodeId));
        Assert.False(await cluster.Client.UnregisterNodeAsync(nodeId));
    }

    [Fact]
    public async Task HeartbeatFromUnknownNodeAsksItToRegister()
    {
        await using var cluster = await ControlTestCluster.StartAsync();

        Assert.False(await cluster.Client.HeartbeatAsync(ControlTestCluster.NewId()));
    }

    [Fact]
    public async Task LiveNodeIdClaimedFromAnotherAddressIsRefused()
    {
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(30));
        byte[] nodeId = ControlTestCluster.NewId();
        await cluster.Client.RegisterNodeAsync(nodeId, "tcp://10.0.0.1:7001", new Dictionary<string, double>(), pid: 1);

        var second = await cluster.Client.RegisterNodeAsync(nodeId, "tcp://10.0.0.2:7001", new Dictionary<string, double>(), pid: 2);

        Assert.False(second.Accepted);
        Assert.Contains("10.0.0.1", second.RejectReason);
        Assert.Equal("tcp://10.0.0.1:7001", (await cluster.FindNodeAsync(nodeId))!.Address);
    }

    [Fact]
    public async Task MalformedRequestsAreRefusedWithArgumentErrors()
    {
        await using var cluster = await ControlTestCluster.StartAsync();

        var emptyId = await Assert.ThrowsAsync<ArgumentException>(
            () => cluster.Client.RegisterNodeAsync([], "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1));
        Assert.Contains("node_id", emptyId.Message);
        var negative = await Assert.ThrowsAsync<ArgumentException>(
            () => cluster.Client.RegisterNodeAsync(ControlTestCluster.NewId(), "tcp://127.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = -1 }, pid: 1));
        Assert.Contains("CPU", negative.Message);
        Assert.Empty(await cluster.Client.ListNodesAsync());
    }

    [Fact]
    public async Task RegisteredIncarnationIsListed()
    {
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(30));
        byte[] nodeId = ControlTestCluster.NewId();

        await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1, incarnation: 0x5eed);

        Assert.Equal(0x5eedUL, (await cluster.FindNodeAsync(nodeId))!.Incarnation);
    }

    [Fact]
    public async Task NodeDeclaredDeadIsFencedWhenItRegistersAgain()
    {
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromMilliseconds(300), heartbeatInterval: TimeSpan.FromMilliseconds(100));
        byte[] nodeId = ControlTestCluster.NewId();
        await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);
        await Eventually.ValueAsync(() => cluster.FindNodeAsync(nodeId), n => n?.State == NodeState.Dead, "the silent node is DEAD", Deadline);

        var again = await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);

        Assert.False(again.Accepted);
        Assert.True(again.Fenced);
        Assert.Contains("declared dead", again.RejectReason);
        Assert.Contains("new node", again.RejectReason);
        Assert.Equal(NodeState.Dead, (await cluster.FindNodeAsync(nodeId))!.State);
        Assert.False(await cluster.Client.HeartbeatAsync(nodeId));
    }

    [Fact]
    public async Task FencingOfADeadNodeSurvivesAServiceRestartOverAFileStore()
    {
        string storage = Path.Combine(_directory.Path, "control");
        byte[] nodeId = ControlTestCluster.NewId();
        await using (var first = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(30), storage: storage))
        {
            await first.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);
            Assert.True(await first.Client.UnregisterNodeAsync(nodeId));
        }

        await using var restarted = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(30), storage: storage);
        var again = await restarted.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);

        Assert.False(again.Accepted);
        Assert.True(again.Fenced);
        Assert.Equal(NodeState.Dead, (await restarted.FindNodeAsync(nodeId))!.State);
    }
}
