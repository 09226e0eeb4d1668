using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>The cluster's token: nodes and drivers without it are refused, and the cluster goes on serving.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class ClusterTokenTests(ITestOutputHelper output)
{
    [Fact]
    public async Task NodeWithAWrongTokenIsRefusedAndTheHeadKeepsServing()
    {
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 2).ToList(), output: output);
        using var files = new TempDirectory();
        var wrongToken = files.File("token");
        await File.WriteAllTextAsync(wrongToken, "not-the-cluster-token");

        var refused = await Assert.ThrowsAsync<ClusterStartException>(() => cluster.AddNodeAsync(new NodeOptions { TokenFile = wrongToken }));

        Assert.Matches("exited with code [1-9]", refused.Message);
        Assert.Contains("token", refused.Message.Split("Its output:")[^1], StringComparison.OrdinalIgnoreCase);
        var status = await cluster.CliStatusAsync();
        Assert.Equal(cluster.Nodes.Select(n => n.State.NodeId).Order(), status.Nodes.Select(n => n.NodeId).Order());
        Assert.All(status.Nodes, n => Assert.True(n.IsAlive, $"{n.NodeId} is {n.State}"));
        using var driver = ClusterDriverRun.Start(cluster, 1, "sum", ["100"]);
        Assert.Equal(338350, (await driver.ResultAsync()).GetProperty("sum").GetInt64());
    }

    [Fact]
    public async Task DriverWithAWrongTokenFailsSayingSo()
    {
        await using var cluster = await TestCluster.StartAsync([new NodeOptions { Cpus = 1 }], output: output);

        using var driver = ClusterDriverRun.Start(cluster, 0, "sum", ["10"], new Dictionary<string, string> { ["PLEXUS_TOKEN"] = "not-the-cluster-token" });
        var outcome = await driver.OutcomeAsync();

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Contains("JOIN FAILED", outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains("token", outcome.StandardError.Split("JOIN FAILED")[^1], StringComparison.OrdinalIgnoreCase);
    }
}
