using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// <see cref="TestCluster"/> driven through the stand-in `plexus` tool (StandIns/fake_plexus.py),
/// which has the real tool's interface and files: what the fixture itself does, apart from the
/// nodes the real tool runs.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class TestClusterTests(ITestOutputHelper output)
{
    private static readonly TestClusterOptions StandIn = new() { Cli = Tests.StandIn.Cli };

    [Fact]
    public async Task StartedClusterListsEveryNodeAliveOnItsOwnAddressWithItsResources()
    {
        NodeOptions[] nodes = [new() { Cpus = 2 }, new() { Cpus = 1, Resources = new Dictionary<string, double> { ["ssd"] = 1 } }, new() { ObjectStoreMemory = 1 << 26 }];
        await using var cluster = await TestCluster.StartAsync(nodes, StandIn, output);

        var status = await cluster.StatusAsync();

        Assert.Equal(3, status.Nodes.Count);
        Assert.All(status.Nodes, node => Assert.True(node.IsAlive, $"{node.NodeId} is {node.State}"));
        // Nodes after the head start together, so the head may list them in either order.
        Assert.Equal(cluster.Nodes.Select(n => n.Host.Address.ToString()).Order(), status.Nodes.Select(n => n.Address.Split(':')[0]).Order());
        Assert.Equal(3, cluster.Nodes.Select(n => n.Host.Address).Distinct().Count());
        Assert.Equal(2, status.Node(cluster.Nodes[0].State.NodeId)!.Resources["CPU"]);
        Assert.Equal(1, status.Node(cluster.Nodes[1].State.NodeId)!.Resources["ssd"]);
        Assert.Equal(1 << 26, status.Node(cluster.Nodes[2].State.NodeId)!.Resources["object_store_memory"]);
    }

    [Fact]
    public async Task ClusterRunsOnLoopbackAddressesWithoutNamespaces()
    {
        await using var cluster = await TestCluster.StartAsync(2, StandIn with { Network = TestNetworkKind.Loopback }, output);

        var status = await cluster.StatusAsync();

        Assert.All(cluster.Nodes, node => Assert.Null(node.Host.Namespace));
        Assert.Equal(["127.0.0.2", "127.0.0.3"], status.Nodes.Select(n => n.Address.Split(':')[0]));
        Assert.All(status.Nodes, node => Assert.True(node.IsAlive));
    }

    [Fact]
    public async Task NodeAddedLaterIsListedAlive()
    {
        await using var cluster = await TestCluster.StartAsync(1, StandIn, output);

        var added = await cluster.AddNodeAsync(new NodeOptions { Cpus = 3 });

        var status = await cluster.StatusAsync();
        Assert.Equal(1, added.Index);
        Assert.Equal(2, status.Nodes.Count);
        Assert.True(status.Node(added.State.NodeId)!.IsAlive);
        Assert.Equal(3, status.Node(added.State.NodeId)!.Resources["CPU"]);
    }

    [Fact]
    public async Task KilledNodeLeavesNoProcessAndTheHeadSeesItGo()
    {
        await using var cluster = await TestCluster.StartAsync(2, StandIn, output);
        var node = cluster.Nodes[1];
        var tree = await Eventually.ValueAsync(() => ProcessTree.Members(ProcessIdentity.OfChild(node.Process.Pid)), t => t.Count >= 2, "the node started its worker");

        await cluster.KillNodeAsync(1);

        Assert.All(tree, pid => Assert.Null(ProcFs.Read(pid)));
        await Eventually.TrueAsync(async () => (await cluster.StatusAsync()).Node(node.State.NodeId)?.IsAlive == false);
    }

    [Fact]
    public async Task DriverRunsOnItsNodesHostWithTheClustersAddressAndToken()
    {
        await using var cluster = await TestCluster.StartAsync(2, StandIn, output);

        var driver = await cluster.RunDriverAsync(1, "sh", ["-c", "echo \"$PLEXUS_ADDRESS $PLEXUS_TOKEN $EXTRA\"; hostname -I 2>/dev/null || ip -4 -o addr show"], new Dictionary<string, string> { ["EXTRA"] = "extra" });

        Assert.True(driver.ExitCode == 0, driver.ToString());
        var token = (await File.ReadAllTextAsync(cluster.TokenFile)).Trim();
        Assert.StartsWith($"{cluster.HeadAddress} {token} extra\n", driver.StandardOutput, StringComparison.Ordinal);
        if (cluster.Nodes[1].Host.Namespace is not null)
        {
            // Inside its namespace the driver sees the node's address and not the head's.
            Assert.Contains(cluster.Nodes[1].Host.Address.ToString(), driver.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain($" {cluster.Head.Host.Address}/", driver.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DriverStillRunningAtItsTimeoutIsKilledWithItsChildren()
    {
        await using var cluster = await TestCluster.StartAsync(1, StandIn, output);

        var timedOut = await Assert.ThrowsAsync<TimeoutException>(() =>
            cluster.RunDriverAsync(0, "sh", ["-c", "sleep 1000 & echo child $!; wait"], timeout: TimeSpan.FromSeconds(2)));

        var child = int.Parse(timedOut.Message.Split("child ")[^1].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Null(ProcFs.Read(child));
    }

    [Fact]
    public async Task DisposeKillsEveryNodeAndRemovesTheNetwork()
    {
        var cluster = await TestCluster.StartAsync(2, StandIn, output);
        var pids = cluster.Nodes.SelectMany(n => ProcessTree.Members(ProcessIdentity.OfChild(n.Process.Pid))).ToList();
        var namespaces = cluster.Nodes.Select(n => n.Host.Namespace).OfType<string>().ToList();
        var directory = cluster.Head.TempDirectory;

        await cluster.DisposeAsync();

        Assert.All(pids, pid => Assert.Null(ProcFs.Read(pid)));
        Assert.False(Directory.Exists(directory));
        if (namespaces.Count > 0)
        {
            Assert.Empty((await IpCommand.NamespacesAsync()).Intersect(namespaces));
        }
    }
}
