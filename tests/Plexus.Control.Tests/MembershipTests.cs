namespace Plexus.Control.Tests;

public sealed class MembershipTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

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
}
