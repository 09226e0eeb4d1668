using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// A driver on a machine where no node of the cluster runs (a host of its own on the cluster's
/// network): it brings a node of its own that joins over TCP and runs no work, and its program is
/// the same as on a node's machine.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class RemoteDriverClusterTests(ITestOutputHelper output)
{
    private const int Squares = 60;
    // The sum of the squares of 1..60.
    private const long SumOfSquares = 73810;

    [Fact]
    public async Task DriverWithoutANodeOnItsMachineGetsExactResultsFromWorkOnTheClusterNodes()
    {
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 2).ToList(), output: output);
        var nodes = cluster.Nodes.Select(n => n.State.NodeId).ToList();

        var result = await RunToEndAsync(cluster, await cluster.AddHostWithoutNodeAsync());

        var driverNode = result.GetProperty("driverNode").GetString()!;
        Assert.DoesNotContain(driverNode, nodes, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(SumOfSquares, result.GetProperty("sum").GetInt64());
        // Tasks and actors, placed by default or spread, all ran on the nodes: none on the driver's own.
        Assert.All(Strings(result, "squareNodes"), node => Assert.Contains(node, nodes, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(nodes.Order(StringComparer.OrdinalIgnoreCase), Strings(result, "spreadNodes").Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.All(Strings(result, "actorNodes"), node => Assert.Contains(node, nodes, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ObjectsOfADriverWithoutANodeReachTheNodesAndResultsComeBack()
    {
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 2).ToList(), output: output);
        var node2 = cluster.Nodes[1].State.NodeId;

        var result = await RunToEndAsync(cluster, await cluster.AddHostWithoutNodeAsync(), node2);

        Assert.Equal(node2, result.GetProperty("putReaderNode").GetString(), ignoreCase: true);
        Assert.True(result.GetProperty("putContentMatches").GetBoolean(), "The task on node 2 read other bytes than the driver put.");
        Assert.True(result.GetProperty("resultContentMatches").GetBoolean(), "The driver read other bytes than the task on node 2 made.");
    }

    [Fact]
    public async Task DriverWithoutANodeAndWithAWrongTokenIsRefusedAndTheClusterKeepsServing()
    {
        await using var cluster = await TestCluster.StartAsync([new NodeOptions { Cpus = 2 }], output: output);
        var elsewhere = await cluster.AddHostWithoutNodeAsync();

        using var refused = ClusterDriverRun.Start(cluster, elsewhere, "sum", ["10"], new Dictionary<string, string> { ["PLEXUS_TOKEN"] = "not-the-cluster-token" });
        var outcome = await refused.OutcomeAsync();

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Contains($"JOIN FAILED {nameof(InvalidClusterTokenException)}", outcome.StandardError, StringComparison.Ordinal);
        var status = await cluster.StatusAsync();
        Assert.Equal(cluster.Nodes.Select(n => n.State.NodeId).Order(), status.Nodes.Select(n => n.NodeId).Order());
        using var accepted = ClusterDriverRun.Start(cluster, elsewhere, "sum", ["100"]);
        Assert.Equal(338350, (await accepted.ResultAsync()).GetProperty("sum").GetInt64());
    }

    [Fact]
    public async Task ADriversNodeIsListedAsADriverRunsNothingAndIsNotAliveAfterTheDriverExits()
    {
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 2).ToList(), output: output);
        using var driver = ClusterDriverRun.Start(cluster, await cluster.AddHostWithoutNodeAsync(), "remote-driver",
            [cluster.Nodes[1].State.NodeId, Squares.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await driver.ReachedAsync("ran");

        var whileRunning = await cluster.StatusAsync();
        var driversNode = Assert.Single(whileRunning.Nodes, n => !cluster.Nodes.Any(c => c.State.NodeId.Equals(n.NodeId, StringComparison.OrdinalIgnoreCase)));
        Assert.True(driversNode.IsAlive, $"The driver's node is {driversNode.State} while the driver runs.");
        Assert.Equal("driver", driversNode.Json.GetProperty("role").GetString());
        Assert.Equal(0, driversNode.Resources["CPU"]);
        Assert.Empty(driversNode.Infeasible);
        driver.Go("ran");
        var result = await driver.ResultAsync();
        Assert.Equal(driversNode.NodeId, result.GetProperty("driverNode").GetString(), ignoreCase: true);
        var ranOn = new[] { "squareNodes", "spreadNodes", "actorNodes" }.SelectMany(p => Strings(result, p)).Append(result.GetProperty("putReaderNode").GetString()!);
        Assert.DoesNotContain(driversNode.NodeId, ranOn, StringComparer.OrdinalIgnoreCase);

        // The driver's node logs through the logger factory the program gave StartAsync.
        Assert.Contains($"Node {driversNode.NodeId.ToLowerInvariant()} started: 0 CPUs, 0 workers", (await driver.OutcomeAsync()).StandardError, StringComparison.Ordinal);

        var afterExit = await cluster.StatusAsync();
        Assert.False(afterExit.Node(driversNode.NodeId)?.IsAlive ?? false, "The driver's node is still listed alive after the driver exited.");
        Assert.All(cluster.Nodes, n => Assert.True(afterExit.Node(n.State.NodeId)?.IsAlive, $"Node {n.Name} is not alive after the driver exited."));
    }

    // Runs the remote-driver scenario on the host through its checkpoint, and returns its result.
    private static async Task<JsonElement> RunToEndAsync(TestCluster cluster, NodeHost host, string? node2 = null)
    {
        using var driver = ClusterDriverRun.Start(cluster, host, "remote-driver",
            [node2 ?? cluster.Nodes[1].State.NodeId, Squares.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await driver.ReachedAsync("ran");
        driver.Go("ran");
        return await driver.ResultAsync();
    }

    private static string[] Strings(JsonElement result, string property) =>
        [.. result.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
}
