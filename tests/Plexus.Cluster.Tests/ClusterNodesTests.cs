using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// A driver lists the cluster's live nodes with what each offers: the node it is attached to is
/// the local one, and a driver's own node (on a machine with no node) is not listed, as it runs no work.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class ClusterNodesTests(ITestOutputHelper output)
{
    private static readonly NodeOptions Plain = new() { Cpus = 1 };
    private static readonly NodeOptions WithFpga = new() { Cpus = 2, Resources = new Dictionary<string, double> { ["fpga"] = 1 } };

    [Fact]
    public async Task ADriverOnANodesMachineListsEveryNodeWithItsOwnAsLocal()
    {
        await using var cluster = await TestCluster.StartAsync([Plain, Plain, WithFpga], output: output);
        using var driver = ClusterDriverRun.Start(cluster, 1, "nodes", []);

        var nodes = Listed(await driver.ResultAsync());

        AssertTheClustersNodes(cluster, nodes);
        Assert.Equal(cluster.Nodes[1].State.NodeId, Assert.Single(nodes, n => n.IsLocal).NodeId);
    }

    [NamespacesFact]
    public async Task ADriverThatBringsItsOwnNodeListsOnlyTheClustersNodes()
    {
        await using var cluster = await TestCluster.StartAsync([Plain, Plain, WithFpga], new TestClusterOptions { Network = TestNetworkKind.Namespaces }, output);
        var host = await cluster.AddHostWithoutNodeAsync();
        using var driver = ClusterDriverRun.Start(cluster, host, "nodes", []);

        var nodes = Listed(await driver.ResultAsync());

        AssertTheClustersNodes(cluster, nodes);
        Assert.DoesNotContain(nodes, n => n.IsLocal);
    }

    private static void AssertTheClustersNodes(TestCluster cluster, IReadOnlyList<ClusterNodeInfo> nodes)
    {
        Assert.Equal(cluster.Nodes.Select(n => n.State.NodeId).Order(), nodes.Select(n => n.NodeId).Order());
        Assert.All(nodes, n => Assert.True(n.Resources["object_store_memory"] > 0, $"Node {n.NodeId} lists no store."));
        var fpga = Assert.Single(nodes, n => n.Resources.ContainsKey("fpga"));
        Assert.Equal(cluster.Nodes[2].State.NodeId, fpga.NodeId);
        Assert.Equal(2, fpga.Resources["CPU"]);
    }

    private static List<ClusterNodeInfo> Listed(JsonElement result) =>
        result.GetProperty("nodes").Deserialize<List<ClusterNodeInfo>>(new JsonSerializerOptions(JsonSerializerDefaults.Web))
        ?? throw new Xunit.Sdk.XunitException($"The driver listed no nodes: {result}");
}
