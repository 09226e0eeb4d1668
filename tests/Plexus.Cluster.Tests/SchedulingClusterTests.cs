using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>Where a cluster runs tasks: spread when the first node is full, to nodes that join, by resources and affinity.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class SchedulingClusterTests(ITestOutputHelper output)
{
    private static readonly NodeOptions TwoCpus = new() { Cpus = 2 };

    [Fact]
    public async Task TasksSpreadOverEveryNodeAndToANodeThatJoinsMidJob()
    {
        await using var cluster = await TestCluster.StartAsync([TwoCpus, TwoCpus, TwoCpus], output: output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "spread", ["24"]);

        await driver.ReachedAsync("grow");
        var added = await cluster.AddNodeAsync(TwoCpus);
        driver.Go("grow");
        var result = await driver.ResultAsync();

        var before = result.GetProperty("before").EnumerateArray().Select(n => n.GetString()!).ToHashSet();
        var after = result.GetProperty("after").EnumerateArray().Select(n => n.GetString()!).ToHashSet();
        Assert.Equal(cluster.Nodes.Take(3).Select(n => n.State.NodeId).Order(), before.Order());
        Assert.Contains(added.State.NodeId, after);
    }

    [Fact]
    public async Task TasksRunWhereTheirResourcesAndAffinityAllowAndInfeasibleOnesRunOnceANodeOffersThem()
    {
        var ssd = new NodeOptions { Cpus = 2, Resources = new Dictionary<string, double> { ["ssd"] = 1 } };
        await using var cluster = await TestCluster.StartAsync([TwoCpus, TwoCpus, ssd], output: output);
        const string UnknownNode = "00000000deadbeef";
        using var driver = ClusterDriverRun.Start(cluster, 0, "resources", [cluster.Nodes[1].State.NodeId, UnknownNode]);

        var pending = await Eventually.ValueAsync(
            async () => (await cluster.StatusAsync()).Nodes.SelectMany(n => n.Infeasible).ToList(),
            lines => lines.Count > 0 || driver.HasExited,
            "the gpu-x task is listed infeasible",
            TimeSpan.FromMinutes(2));
        if (driver.HasExited)
        {
            Assert.Fail($"The driver ended while its gpu-x task should wait: {await driver.OutcomeAsync()}");
        }
        var gpu = await cluster.AddNodeAsync(new NodeOptions { Cpus = 2, Resources = new Dictionary<string, double> { ["gpu-x"] = 1 } });
        var result = await driver.ResultAsync();

        Assert.Contains(pending, line => line.Contains("gpu-x", StringComparison.Ordinal));
        Assert.All(result.GetProperty("ssd").EnumerateArray(), n => Assert.Equal(cluster.Nodes[2].State.NodeId, n.GetString()));
        Assert.All(result.GetProperty("affine").EnumerateArray(), n => Assert.Equal(cluster.Nodes[1].State.NodeId, n.GetString()));
        var unknown = result.GetProperty("unknownNode");
        Assert.Equal("NodeUnavailableException", unknown.GetProperty("type").GetString());
        Assert.Contains(UnknownNode, unknown.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(gpu.State.NodeId, result.GetProperty("gpu").GetString());
    }
}
