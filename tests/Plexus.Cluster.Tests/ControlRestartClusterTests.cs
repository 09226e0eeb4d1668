using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// The head's control service killed (SIGKILL) while a job runs, and restarted by the head: with
/// file storage and with a Redis server, no task is lost, a named actor is found again with its
/// state, and the nodes that joined before are still members with their ids. A restart of an actor
/// that fell due while the service was down (its node was killed then) happens once it is back.
/// </summary>
[Slow]
[Collection(WaitingClusterCollection.Name)]
public sealed class ControlRestartClusterTests(ITestOutputHelper output)
{
    private const int Tasks = 2000;

    // Long enough that the driver's tasks go on while no service runs.
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData("files")]
    [RedisInlineData("redis")]
    public async Task KilledControlServiceIsRestartedAndTheClusterRecoversWithNoTaskLost(string storage)
    {
        var options = new TestClusterOptions
        {
            Storage = storage == "redis" ? TestControlStorage.Redis : TestControlStorage.Files,
            ControlRestartDelay = RestartDelay,
        };
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 3).ToList(), options, output);
        using var driver = ClusterDriverRun.Start(cluster, 1, "control-restart", ["counter", $"{Tasks}"]);
        await driver.ReachedAsync("running");

        int killed = await cluster.KillControlServiceAsync();
        int restarted = await cluster.WaitControlServiceAsync(killed);
        driver.Go("restarted");

        var result = await driver.ResultAsync();
        Assert.True(result.GetProperty("tasks").GetInt32() >= Tasks, $"The driver's loop stopped early: {result}");
        Assert.True(result.GetProperty("wrong").GetInt32() == 0, $"Tasks gave wrong results: {result}");
        Assert.True(result.GetProperty("whileRestarting").GetInt32() > 0, $"No task ran while the control service was restarting: {result}");
        Assert.True(result.GetProperty("count").GetInt32() == 6, $"The named actor found after the restart is not the one made before (5, then 6): {result}");
        var status = await cluster.StatusAsync();
        Assert.All(cluster.Nodes, node => Assert.True(status.Node(node.State.NodeId)?.IsAlive == true, $"{node} is not listed ALIVE with its id after the restart: {status}"));
        Assert.NotEqual(killed, restarted);
        Assert.Equal(restarted, cluster.ControlServicePid);
    }

    [Fact]
    public async Task AnActorWhoseNodeDiedWhileTheControlServiceWasDownIsRestartedOnceTheServiceIsBack()
    {
        var phoenix = new NodeOptions { Cpus = 2, Resources = new Dictionary<string, double> { ["phoenix"] = 1 } };
        var options = new TestClusterOptions { ControlRestartDelay = RestartDelay };
        await using var cluster = await TestCluster.StartAsync([new NodeOptions { Cpus = 2 }, phoenix, phoenix], options, output);
        // The driver runs on node 2, the creator's node, which can host the actor: the node that
        // builds it again is the one holding the driver's calls.
        using var driver = ClusterDriverRun.Start(cluster, 2, "actor-failover", ["phoenix", "once", cluster.Nodes[1].State.NodeId]);
        string first;
        try
        {
            await driver.ReachedAsync("first");
            int killed = await cluster.KillControlServiceAsync();
            first = await ActorRestartClusterTests.KillHostAsync(cluster, driver, "first.node", waitFor: "slow.started");
            driver.Go("first");
            await cluster.WaitControlServiceAsync(killed);
        }
        finally
        {
            driver.Go("first");
        }

        var result = await driver.ResultAsync();
        // Checkpointed after the fourth call; the call in flight when the node died was sent again to the restarted actor.
        Assert.Equal(5, result.GetProperty("afterSlow").GetInt32());
        Assert.Equal(6, result.GetProperty("afterAdd").GetInt32());
        Assert.True(result.GetProperty("sameActor").GetBoolean());
        Assert.Equal(cluster.Nodes[2].State.NodeId, result.GetProperty("second").GetString());
        // Its 1 MiB constructor argument lived on the dead node: the driver made it again for the restart.
        Assert.Equal(result.GetProperty("expectedSeedSum").GetInt64(), result.GetProperty("seedSum").GetInt64());
    }
}
