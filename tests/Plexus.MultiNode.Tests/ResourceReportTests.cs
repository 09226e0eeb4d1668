using Plexus.TestingHost;

namespace Plexus.MultiNode.Tests;

/// <summary>What a node reports in use, which other nodes place work by: its custom resources as well as its CPUs.</summary>
public sealed class ResourceReportTests
{
    [Fact]
    public async Task ANodeReportsTheCustomResourceItsTasksAskForAsUsedUpToWhatItOffers()
    {
        await using var cluster = InProcessCluster.Start(nodes: 1, new SimulatedNodeOptions { Resources = new Dictionary<string, double> { ["ssd"] = 2 } });
        var node = cluster.Nodes[0];
        var driver = await node.AttachAsync();
        var ssd = new TaskOptions { Resources = new Dictionary<string, double> { ["ssd"] = 1 } };
        Assert.Equal(0, node.ReportedUsage.GetValueOrDefault("ssd"));

        // A node without workers never runs them: they stay queued, asking for the ssd.
        for (var i = 0; i < 3; i++)
        {
            _ = driver.Plexus.Task(static (int x) => x + 1).WithOptions(ssd).Remote(i);
        }

        await Eventually.TrueAsync(() => Task.FromResult(node.ReportedUsage.GetValueOrDefault("ssd") == 2), "the node reports both its ssds used");
    }
}
