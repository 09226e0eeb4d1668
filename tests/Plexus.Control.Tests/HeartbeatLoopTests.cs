using System.Diagnostics;

namespace Plexus.Control.Tests;

[Slow]
public sealed class HeartbeatLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task HeartbeatLoopKeepsNodeAlivePastTheTimeout()
    {
        // Short enough to be crossed twice in the test, long enough (60 intervals) to absorb the
        // scheduling stalls of a 2-core CI machine running several test projects at once (~1 s seen).
        var timeout = TimeSpan.FromMilliseconds(3000);
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatTimeout: timeout, heartbeatInterval: TimeSpan.FromMilliseconds(50));
        byte[] nodeId = ControlTestCluster.NewId();
        await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);
        int heartbeats = 0;
        using var stop = new CancellationTokenSource();
        var loop = cluster.Client.RunHeartbeatLoopAsync(nodeId, () => { Interlocked.Increment(ref heartbeats); return new Dictionary<string, double>(); }, stop.Token);

        // The claim is about the steady state: the first calls of each kind pay a cold-start cost
        // (JIT) that can exceed this deliberately short timeout, so observe from the third heartbeat.
        await Eventually.ValueAsync(() => Task.FromResult(Volatile.Read(ref heartbeats)), n => n >= 3, "the loop is heartbeating", Deadline);
        int deaths = 0;
        cluster.Server.NodeDied += (_, _) => Interlocked.Increment(ref deaths);

        // Observe the node for several timeouts: every sample must show it ALIVE and recently heard from.
        var observed = Stopwatch.StartNew();
        while (observed.Elapsed < timeout * 2)
        {
            var node = await cluster.FindNodeAsync(nodeId);
            Assert.True(node!.State == NodeState.Alive, $"{node} died: {node.DeathReason} after {observed.ElapsedMilliseconds} ms");
            Assert.True(node.LastHeartbeatAge < timeout, $"last heartbeat {node.LastHeartbeatAge.TotalMilliseconds} ms ago");
            await Task.Delay(50);
        }

        Assert.Equal(0, Volatile.Read(ref deaths));
        await stop.CancelAsync();
        await loop.WaitAsync(Deadline);
        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task HeartbeatLoopOfANodeDeclaredDeadEndsFencedInsteadOfReRegistering()
    {
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(30), heartbeatInterval: TimeSpan.FromMilliseconds(50));
        byte[] nodeId = ControlTestCluster.NewId();
        await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = 2 }, pid: 7);
        using var stop = new CancellationTokenSource();
        var loop = cluster.Client.RunHeartbeatLoopAsync(nodeId, stop.Token);

        await cluster.Client.UnregisterNodeAsync(nodeId);

        var fenced = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.WaitAsync(Deadline));
        Assert.Contains("declared dead", fenced.Message);
        Assert.Equal(NodeState.Dead, (await cluster.FindNodeAsync(nodeId))!.State);
    }

    [Fact]
    public async Task InProcessHeartbeatLoopKeepsNodeAliveAndEndsFencedAfterUnregistering()
    {
        await using var local = await InProcessControlService.StartAsync(heartbeatInterval: TimeSpan.FromMilliseconds(50), heartbeatTimeout: TimeSpan.FromSeconds(30));
        byte[] nodeId = ControlTestCluster.NewId();
        await local.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = 2 }, pid: 7);
        using var stop = new CancellationTokenSource();
        var loop = local.Client.RunHeartbeatLoopAsync(nodeId, () => new Dictionary<string, double> { ["CPU"] = 1 }, stop.Token);
        await Eventually.ValueAsync(() => FindAsync(local.Client, nodeId), n => n?.ResourceUsage.Count > 0, "the loop reports usage", Deadline);

        Assert.True(await local.Client.UnregisterNodeAsync(nodeId));

        var fenced = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.WaitAsync(Deadline));
        Assert.Contains("declared dead", fenced.Message);
        Assert.Equal(NodeState.Dead, (await FindAsync(local.Client, nodeId))!.State);
    }

    [Fact]
    public async Task HeartbeatLoopReRegistersWithRestartedService()
    {
        var first = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(30), heartbeatInterval: TimeSpan.FromMilliseconds(50));
        int port = first.Server.Address.Port;
        byte[] nodeId = ControlTestCluster.NewId();
        await using var node = new ControlClient(first.Server.Address, ControlTestCluster.Token) { CallTimeout = TimeSpan.FromSeconds(2) };
        await node.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);
        using var stop = new CancellationTokenSource();
        var loop = node.RunHeartbeatLoopAsync(nodeId, stop.Token);

        // The in-memory service forgets everything; the node learns it from a heartbeat reply.
        await first.DisposeAsync();
        await using var second = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(30), heartbeatInterval: TimeSpan.FromMilliseconds(50), port: port);
        await Eventually.ValueAsync(() => second.FindNodeAsync(nodeId), n => n?.State == NodeState.Alive, "the node re-registers with the restarted service", Deadline);

        Assert.False(loop.IsCompleted);
        await stop.CancelAsync();
        await loop.WaitAsync(Deadline);
        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task HeartbeatLoopRequiresARegistrationThroughTheClient()
    {
        await using var cluster = await ControlTestCluster.StartAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.Client.RunHeartbeatLoopAsync(ControlTestCluster.NewId(), CancellationToken.None));
    }

    private static async Task<NodeInfo?> FindAsync(IControlClient client, byte[] nodeId) =>
        (await client.ListNodesAsync()).SingleOrDefault(n => n.NodeId.AsSpan().SequenceEqual(nodeId));
}
