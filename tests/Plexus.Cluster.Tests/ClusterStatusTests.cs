using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>`plexus status` against a cluster of real nodes.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class ClusterStatusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StatusJsonListsEveryNodeWithItsResourcesAndStoreUse()
    {
        NodeOptions[] nodes =
        [
            new() { Cpus = 2, ObjectStoreMemory = 256L << 20 },
            new() { Cpus = 1, ObjectStoreMemory = 128L << 20, Resources = new Dictionary<string, double> { ["ssd"] = 1 } },
        ];
        await using var cluster = await TestCluster.StartAsync(nodes, output: output);

        var status = await cluster.CliStatusAsync();

        Assert.Equal(cluster.HeadAddress, status.ControlAddress);
        Assert.Equal(2, status.Nodes.Count);
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = status.Node(cluster.Nodes[i].State.NodeId)!;
            Assert.True(node.IsAlive);
            Assert.Contains($"{cluster.Nodes[i].Host.Address}:", node.Address, StringComparison.Ordinal);
            Assert.Equal(nodes[i].Cpus!.Value, node.Resources["CPU"]);
            Assert.Equal(nodes[i].ObjectStoreMemory!.Value, node.Resources["object_store_memory"]);
            Assert.InRange(node.Used["object_store_memory"], 0, nodes[i].ObjectStoreMemory!.Value);
        }

        Assert.Equal(1, status.Node(cluster.Nodes[1].State.NodeId)!.Resources["ssd"]);
        Assert.False(status.Node(cluster.Head.State.NodeId)!.Resources.ContainsKey("ssd"));
    }

    [Fact]
    public async Task StatusWithAnUnknownFlagExitsWithTwo()
    {
        var outcome = await HostCommand.RunAsync(PlexusCli.Real().Command("status", "--bogus"), TimeSpan.FromMinutes(1));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("--bogus", outcome.StandardError + outcome.StandardOutput, StringComparison.Ordinal);
    }
}
