namespace Plexus.Control.Tests;

/// <summary>The control service counts the calls it serves, by method, so a cluster's load on its head can be read from outside.</summary>
public sealed class CallCountTests
{
    [Fact]
    public async Task CallsServedAreCountedByMethod()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var nodeId = ControlTestCluster.NewId();
        var before = await cluster.Client.CallsServedAsync();

        await cluster.Client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1);
        await cluster.Client.HeartbeatAsync(nodeId);
        await cluster.Client.HeartbeatAsync(nodeId);
        var after = await cluster.Client.CallsServedAsync();

        Assert.Equal(1, after["RegisterNode"] - before.GetValueOrDefault("RegisterNode"));
        Assert.Equal(2, after["Heartbeat"] - before.GetValueOrDefault("Heartbeat"));
        // Asking is a call too (ListNodes carries the counts), counted before it answers.
        Assert.Equal(1, after["ListNodes"] - before["ListNodes"]);
    }

    [Fact]
    public async Task CallsRefusedForTheirTokenAreNotCounted()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        await using var intruder = new ControlClient(cluster.Server.Address, "not-the-token");
        var before = await cluster.Client.CallsServedAsync();

        await Assert.ThrowsAsync<ClusterTokenRejectedException>(
            () => intruder.RegisterNodeAsync(ControlTestCluster.NewId(), "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1));
        var after = await cluster.Client.CallsServedAsync();

        Assert.Equal(before.GetValueOrDefault("RegisterNode"), after.GetValueOrDefault("RegisterNode"));
    }
}
