using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>Actors across machines: a named actor created by a driver on one node is found and called by a driver on another.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class NamedActorClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ANamedActorCreatedFromNodeOneIsFoundAndCalledFromNodeThree()
    {
        var twoCpus = new NodeOptions { Cpus = 2 };
        await using var cluster = await TestCluster.StartAsync([twoCpus, twoCpus, twoCpus], output: output);

        using var creator = ClusterDriverRun.Start(cluster, 0, "actor-create", ["counter"]);
        var created = await creator.ResultAsync();
        using var caller = ClusterDriverRun.Start(cluster, 2, "actor-call", ["counter"]);
        var called = await caller.ResultAsync();

        Assert.Equal(5, created.GetProperty("count").GetInt32());
        // The same actor, its state kept: the second driver's call sees the first one's.
        Assert.Equal(6, called.GetProperty("count").GetInt32());
        Assert.Equal(created.GetProperty("node").GetString(), called.GetProperty("node").GetString());
        Assert.Equal(cluster.Nodes[0].State.NodeId, created.GetProperty("node").GetString());
    }
}
