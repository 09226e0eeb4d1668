using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// A named actor of a cluster whose worker process dies is restarted by its node as the control
/// service decides: from its last checkpoint, found by the same name, and ended once its restarts
/// are used up.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
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
}
