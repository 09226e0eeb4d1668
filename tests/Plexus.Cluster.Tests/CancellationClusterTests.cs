using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>A cancel follows a task that its owner's node forwarded to another node, and outlives that node.</summary>
[Slow]
[Collection(WaitingClusterCollection.Name)]
public sealed class CancellationClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ATaskForwardedToAnotherNodeIsCancelledThereCooperativelyAndByForce()
    {
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 2).ToList(), output: output);
        var remote = cluster.Nodes[1].State.NodeId;
        using var driver = ClusterDriverRun.Start(cluster, 0, "cancel", [remote]);

        var result = await driver.ResultAsync();

        Assert.Equal(remote, result.GetProperty("cooperativeNode").GetString());
        Assert.Equal(remote, result.GetProperty("forcedNode").GetString());
        var cooperative = result.GetProperty("cooperative");
        Assert.True(
            cooperative.ValueKind == JsonValueKind.Object && cooperative.GetProperty("type").GetString() == "TaskCancelledException",
            $"The task that observes its token did not end cancelled: {result}");
        Assert.Contains("cancelled while it ran", cooperative.GetProperty("message").GetString(), StringComparison.Ordinal);
        var forced = result.GetProperty("forced");
        Assert.True(
            forced.ValueKind == JsonValueKind.Object && forced.GetProperty("type").GetString() == "TaskCancelledException",
            $"The task that ignores its token did not end cancelled by force: {result}");
        Assert.Contains("cancelled by force", forced.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACancelledTaskWhoseNodeDiesBeforeItAnswersEndsCancelledAndDoesNotRunAgain()
    {
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 3).ToList(), output: output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "cancel-lost-node", [cluster.Nodes[2].State.NodeId]);
        await driver.ReachedAsync("cancelled");

        await cluster.KillNodeAsync(2);
        driver.Go("cancelled");

        var result = await driver.ResultAsync();
        var task = result.GetProperty("task");
        Assert.True(
            task.ValueKind == JsonValueKind.Object && task.GetProperty("type").GetString() == "TaskCancelledException",
            $"The cancelled task ran again after its node died: {result}");
        Assert.Contains("was lost before it answered", task.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
