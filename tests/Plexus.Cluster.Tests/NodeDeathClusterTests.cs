using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>A node that dies as a machine would: the head notices, and the work and objects bound to it fail clearly.</summary>
[Slow]
[Collection(WaitingClusterCollection.Name)]
public sealed class NodeDeathClusterTests(ITestOutputHelper output)
{
    // The head's default (ClusterNodeSettings.NodeTimeout), and room for a loaded machine.
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task KilledNodeIsListedDeadAndItsRunningTaskAndOnlyObjectFail()
    {
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 3).ToList(), output: output);
        var victim = cluster.Nodes[2];
        using var driver = ClusterDriverRun.Start(cluster, 0, "node-death", [victim.State.NodeId]);
        var started = Path.Combine(driver.Directory, "started");
        await Eventually.TrueAsync(() => File.Exists(started) || driver.HasExited, "the long task runs on the victim", TimeSpan.FromMinutes(2));
        if (driver.HasExited)
        {
            Assert.Fail($"The driver ended before its task ran: {await driver.OutcomeAsync()}");
        }
        var aliveCpus = (await cluster.StatusAsync()).Nodes.Where(n => n.IsAlive).Sum(n => n.Resources["CPU"]);

        await cluster.KillNodeAsync(2);

        var status = await Eventually.ValueAsync(
            cluster.StatusAsync, s => s.Node(victim.State.NodeId)?.IsAlive == false, "the head lists the killed node DEAD", NodeTimeout + Margin);
        Assert.Equal(aliveCpus - 2, status.Nodes.Where(n => n.IsAlive).Sum(n => n.Resources["CPU"]));
        var result = await driver.ResultAsync();
        Assert.True(result.GetProperty("storedBeforeDeath").GetBoolean(), $"The object was not stored on the victim: {result}");
        var task = result.GetProperty("task");
        Assert.True(
            task.ValueKind == JsonValueKind.Object && task.GetProperty("type").GetString() is "WorkerCrashedException" or "NodeUnavailableException",
            $"The task on the killed node did not fail as lost with it: {result}");
        Assert.Contains(victim.State.NodeId, task.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        // The object's task is bound to the killed node (hard affinity), so it cannot be made again.
        var read = result.GetProperty("read");
        Assert.True(
            read.ValueKind == JsonValueKind.Object && read.GetProperty("type").GetString() == "ObjectReconstructionFailedException"
                && read.GetProperty("message").GetString()!.Contains("hard node affinity", StringComparison.Ordinal),
            $"Reading the object stored only on the killed node did not fail as not re-makeable (TaskNotRunnable): {result}");
    }
}
