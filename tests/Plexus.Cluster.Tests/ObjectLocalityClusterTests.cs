using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>Objects across the nodes of a cluster: tasks go to their data, reads copy it, frees reach every node.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class ObjectLocalityClusterTests(ITestOutputHelper output)
{
    private const string StoreMemory = "object_store_memory";

    [Fact]
    public async Task TaskGoesToItsLargeArgumentObjectsReadElsewhereKeepTheirContentAndDroppedRefsFreeEveryStore()
    {
        var node = new NodeOptions { Cpus = 2, ObjectStoreMemory = 1L << 30 };
        await using var cluster = await TestCluster.StartAsync([node, node, node], output: output);
        var (node2, node3) = (cluster.Nodes[1].State.NodeId, cluster.Nodes[2].State.NodeId);
        var baseline = await StoreUseAsync(cluster);
        using var driver = ClusterDriverRun.Start(cluster, 0, "locality", [node2, node3]);

        await driver.ReachedAsync("holding");
        // Node 2 holds the 200 MiB array, node 3 a copy of the 64 MiB put on node 1.
        await Eventually.TrueAsync(
            async () => await StoreUseAsync(cluster) is var used && used[node2] >= baseline[node2] + (200 << 20) && used[node3] >= baseline[node3] + (64 << 20),
            "node 2 stores the array and node 3 the copy");
        driver.Go("holding");
        await driver.ReachedAsync("dropped");
        await Eventually.TrueAsync(
            async () => (await StoreUseAsync(cluster)).SequenceEqual(baseline),
            "every node's store is back to what it used before the job");
        driver.Go("dropped");
        var result = await driver.ResultAsync();

        Assert.Equal(node2, result.GetProperty("remoteReaderNode").GetString());
        Assert.True(result.GetProperty("remoteContentMatches").GetBoolean());
        Assert.Equal(node3, result.GetProperty("localReaderNode").GetString());
        Assert.True(result.GetProperty("localContentMatches").GetBoolean());
    }

    // Bytes in each node's store, by node id, as the head last heard.
    private static async Task<Dictionary<string, double>> StoreUseAsync(TestCluster cluster)
    {
        var status = await cluster.StatusAsync();
        return cluster.Nodes.ToDictionary(n => n.State.NodeId, n => status.Node(n.State.NodeId)!.Used.GetValueOrDefault(StoreMemory));
    }
}
