using Plexus.Control;

namespace Plexus.Tests;

[Slow]
public sealed class ControlPlaneTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task EmbeddedClusterRegistersItsNodeAndJobWithTheControlService()
    {
        // An embedded cluster calls its control service in-process: there is no address to reach it at.
        Assert.Null(cluster.Plexus.ControlAddress);
        var client = cluster.Plexus.EmbeddedControl();

        var node = Assert.Single(await client.ListNodesAsync());
        Assert.Equal(NodeState.Alive, node.State);
        Assert.Equal(Environment.ProcessId, node.Pid);
        Assert.Equal(2, node.Resources["CPU"]);

        var job = Assert.Single(await client.ListJobsAsync());
        Assert.Equal(cluster.Plexus.Job.ToString(), Convert.ToHexString(job.JobId).ToLowerInvariant());
        Assert.Equal(JobState.Running, job.State);
    }
}
