using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>The fixture with the real `plexus` tool: the wiring the cluster tests build on.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class PlexusCliClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HeadAndNodesStartedWithThePlexusToolAreListedAlive()
    {
        var nodes = Enumerable.Repeat(new NodeOptions { Cpus = 1, ObjectStoreMemory = 64L << 20 }, 3).ToList();
        await using var cluster = await TestCluster.StartAsync(nodes, output: output);

        var status = await cluster.CliStatusAsync();

        Assert.All(cluster.Nodes, node => Assert.True(status.Node(node.State.NodeId)?.IsAlive, $"{node} is listed ALIVE"));
        Assert.All(cluster.Nodes, node => Assert.Equal(cluster.HeadAddress, node.State.ControlAddress));
    }
}
