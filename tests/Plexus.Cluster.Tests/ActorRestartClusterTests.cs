using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// A named actor of a cluster whose worker process or node dies is restarted as the control
/// service decides (on its node, or on another live node that can host it): from its last
/// checkpoint, its calls in flight sent again, found by the same name, and ended once its restarts
/// are used up.
/// </summary>
[Slow]
[Collection(WaitingClusterCollection.Name)]
public sealed class ActorRestartClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ANamedActorWhoseWorkerDiesResumesFromItsCheckpointUntilItsRestartsAreUsedUp()
    {
        await using var cluster = await TestCluster.StartAsync([new NodeOptions { Cpus = 2 }], output: output);

        using var driver = ClusterDriverRun.Start(cluster, 0, "actor-restart", ["restarted"]);
        var result = await driver.ResultAsync();

        // Checkpointed after the fourth call: the fifth was lost with the first incarnation.
        Assert.Equal(5, result.GetProperty("afterRestart").GetInt32());
        Assert.True(result.GetProperty("sameActor").GetBoolean());
        Assert.Equal(nameof(ActorDeathCause.RestartsExhausted), result.GetProperty("cause").GetString());
        Assert.Contains("MaxRestarts", result.GetProperty("died").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANamedActorWhoseNodeIsKilledIsRestartedOnAnotherNodeUntilItsRestartsAreUsedUp()
    {
        var phoenix = new NodeOptions { Cpus = 2, Resources = new Dictionary<string, double> { ["phoenix"] = 1 } };
        await using var cluster = await TestCluster.StartAsync([new NodeOptions { Cpus = 2 }, phoenix, phoenix], output: output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "actor-failover", ["phoenix", "twice", cluster.Nodes[1].State.NodeId]);
        try
        {
            await driver.ReachedAsync("first");
            var first = await KillHostAsync(cluster, driver, "first.node", waitFor: "slow.started");
            driver.Go("first");

            await driver.ReachedAsync("second");
            var second = await KillHostAsync(cluster, driver, "second.node", waitFor: null);
            Assert.NotEqual(first, second);
        }
        finally
        {
            driver.Go("first");
            driver.Go("second");
        }

        var result = await driver.ResultAsync();
        output.WriteLine($"The first call after the kill took {result.GetProperty("restartSeconds").GetDouble():0.00} s");
        // Checkpointed after the fourth call: the fifth was lost with the node; the call in flight was sent again, then the next one.
        Assert.Equal(5, result.GetProperty("afterSlow").GetInt32());
        Assert.Equal(6, result.GetProperty("afterAdd").GetInt32());
        Assert.Equal(6, result.GetProperty("foundCount").GetInt32());
        Assert.True(result.GetProperty("sameActor").GetBoolean());
        Assert.NotEqual(result.GetProperty("first").GetString(), result.GetProperty("second").GetString());
        // Its 1 MiB constructor argument lived on the dead node: the driver made it again for the restart.
        Assert.Equal(result.GetProperty("expectedSeedSum").GetInt64(), result.GetProperty("seedSum").GetInt64());
        Assert.Equal(nameof(ActorDeathCause.RestartsExhausted), result.GetProperty("cause").GetString());
        Assert.Contains("its node died", result.GetProperty("died").GetString(), StringComparison.Ordinal);
    }

    // Kills the node the driver named in `file` (once `waitFor` exists, when given); returns its id.
    internal static async Task<string> KillHostAsync(TestCluster cluster, ClusterDriverRun driver, string file, string? waitFor)
    {
        if (waitFor is not null)
        {
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(Path.Combine(driver.Directory, waitFor))), $"the driver's {waitFor}", TimeSpan.FromSeconds(60));
        }

        var node = (await File.ReadAllTextAsync(Path.Combine(driver.Directory, file))).Trim();
        var index = cluster.Nodes.ToList().FindIndex(n => n.State.NodeId == node);
        Assert.True(index > 0, $"The actor runs on node {node}, which is not one of the nodes offering its resource.");
        await cluster.KillNodeAsync(index);
        return node;
    }
}
