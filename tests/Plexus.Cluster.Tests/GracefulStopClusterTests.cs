using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>`plexus stop` on a node that runs work: it takes no new work, lets its running task finish, then leaves.</summary>
[Slow]
[Collection(WaitingClusterCollection.Name)]
public sealed class GracefulStopClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task StoppedNodeTakesNoNewWorkFinishesItsRunningTaskAndLeaves()
    {
        await using var cluster = await TestCluster.StartAsync([new NodeOptions { Cpus = 2 }, new NodeOptions { Cpus = 2 }], output: output);
        var leaving = cluster.Nodes[1];
        using var driver = ClusterDriverRun.Start(cluster, 0, "drain", [leaving.State.NodeId]);
        var runs = Path.Combine(driver.Directory, "runs");
        await Eventually.TrueAsync(() => File.Exists(runs) || driver.HasExited, "the held task runs on the node to stop", TimeSpan.FromMinutes(2));
        Assert.False(driver.HasExited, "The driver ended before its task ran.");

        var stop = HostCommand.RunAsync(PlexusCli.Real().Command("stop", "--temp-dir", leaving.TempDirectory, "--grace-period", "170"), StopTimeout);
        await Eventually.TrueAsync(
            () => leaving.Process.ReadLog().Contains("draining", StringComparison.Ordinal) || stop.IsCompleted, "the node to stop drains", TimeSpan.FromMinutes(1));
        await driver.ReachedAsync("draining");
        driver.Go("draining");
        // The spread tasks have run (elsewhere, the result says) while the held task keeps the node from leaving.
        await driver.ReachedAsync("spread");
        if (stop.IsCompleted)
        {
            Assert.Fail($"`plexus stop` returned while a task still ran on the node: {await stop}");
        }

        await File.WriteAllTextAsync(Path.Combine(driver.Directory, "release"), "");
        driver.Go("spread");

        var result = await driver.ResultAsync();
        Assert.Equal(leaving.State.NodeId, result.GetProperty("heldNode").GetString());
        Assert.Equal(1, result.GetProperty("heldStarts").GetInt32());
        Assert.All(result.GetProperty("spreadNodes").EnumerateArray(), node => Assert.Equal(cluster.Head.State.NodeId, node.GetString()));
        var stopped = await stop;
        Assert.True(stopped.ExitCode == 0 && stopped.StandardOutput.Contains("Stopped the node", StringComparison.Ordinal), stopped.ToString());
        var status = await cluster.StatusAsync();
        Assert.NotEqual(true, status.Node(leaving.State.NodeId)?.IsAlive);
    }
}
