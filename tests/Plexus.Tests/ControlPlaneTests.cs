using Plexus.Control;

namespace Plexus.Tests;

[Slow]
public sealed class ControlPlaneTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task EmbeddedClusterRegistersItsNodeAndJobWithTheControlService()
    {
        var address = Assert.IsType<Uri>(cluster.Plexus.ControlAddress);
        Assert.Equal("127.0.0.1", address.Host);
        await using var client = new ControlClient(address, cluster.Plexus.ClusterToken);

        var node = Assert.Single(await client.ListNodesAsync());
        Assert.Equal(NodeState.Alive, node.State);
        Assert.Equal(Environment.ProcessId, node.Pid);
        Assert.Equal(2, node.Resources["CPU"]);

        var job = Assert.Single(await client.ListJobsAsync());
        Assert.Equal(cluster.Plexus.Job.ToString(), Convert.ToHexString(job.JobId).ToLowerInvariant());
        Assert.Equal(JobState.Running, job.State);
    }

    [Fact]
    public async Task ControlServiceRefusesCallsWithoutTheClusterToken()
    {
        await using var client = new ControlClient(cluster.Plexus.ControlAddress!, "not-the-token");
        await Assert.ThrowsAsync<ClusterTokenRejectedException>(() => client.ListNodesAsync());
    }
}
