using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// Actors across machines: a named actor created by a driver on one node is found and called by a
/// driver on another when it is named in a namespace both use, and not when it is named in its
/// job's own (whose tasks on other nodes find it), and a name is unique in its namespace in the whole cluster until its actor,
/// or the actor's node, dies, also while its actor is held for a node that can host it.
/// </summary>
[Slow]
[Collection(WaitingClusterCollection.Name)]
public sealed class NamedActorClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ANamedActorCreatedFromNodeOneIsFoundAndCalledFromNodeThreeInASharedNamespaceAndNotInItsJobsOwn()
    {
        var twoCpus = new NodeOptions { Cpus = 2 };
        await using var cluster = await TestCluster.StartAsync([twoCpus, twoCpus, twoCpus], output: output);

        using var creator = ClusterDriverRun.Start(cluster, 0, "actor-create", ["counter", "team", cluster.Nodes[1].State.NodeId]);
        var created = await creator.ResultAsync();
        using var caller = ClusterDriverRun.Start(cluster, 2, "actor-call", ["counter", "team"]);
        var called = await caller.ResultAsync();

        // The creator's task on node two found the actor its job named without a namespace.
        Assert.Equal(101, created.GetProperty("ownFromTask").GetInt32());
        // Another job finds none of that name in its own namespace, though the detached actor lives.
        var own = called.GetProperty("own");
        Assert.True(own.ValueKind == JsonValueKind.Object, $"Another job found the actor named without a namespace: {called}");
        Assert.Equal("ActorNotFoundException", own.GetProperty("type").GetString());
        Assert.Equal(5, created.GetProperty("count").GetInt32());
        // The same actor, its state kept: the second driver's call sees the first one's.
        Assert.Equal(6, called.GetProperty("count").GetInt32());
        Assert.Equal(created.GetProperty("node").GetString(), called.GetProperty("node").GetString());
        Assert.Equal(cluster.Nodes[0].State.NodeId, created.GetProperty("node").GetString());
    }

    [Fact]
    public async Task TwoDriversOnTwoNodesClaimingOneNameInOneNamespaceGetItOnceAndAnotherNamespaceHasItsOwn()
    {
        var twoCpus = new NodeOptions { Cpus = 2 };
        await using var cluster = await TestCluster.StartAsync([twoCpus, twoCpus, twoCpus], output: output);

        using var first = ClusterDriverRun.Start(cluster, 0, "actor-claim", ["shared", "race", "hold"]);
        using var second = ClusterDriverRun.Start(cluster, 1, "actor-claim", ["shared", "race", "hold"]);
        using var elsewhere = ClusterDriverRun.Start(cluster, 2, "actor-claim", ["shared", "other", "hold"]);
        ClusterDriverRun[] drivers = [first, second, elsewhere];
        foreach (var driver in drivers)
        {
            await driver.ReachedAsync("claimed");
        }

        foreach (var driver in drivers)
        {
            driver.Go("claimed");
        }

        JsonElement[] race = [await first.ResultAsync(), await second.ResultAsync()];
        var winner = Assert.Single(race, r => r.GetProperty("created").GetBoolean());
        var loser = Assert.Single(race, r => !r.GetProperty("created").GetBoolean());
        Assert.Equal("ActorNameTakenException", loser.GetProperty("failure").GetProperty("type").GetString());
        Assert.Contains("'shared'", loser.GetProperty("failure").GetProperty("message").GetString(), StringComparison.Ordinal);
        var other = await elsewhere.ResultAsync();
        Assert.True(other.GetProperty("created").GetBoolean(), $"The name in another namespace was refused: {other}");
        // Each actor runs on its creator's node: the winner's name was refused on another node.
        Assert.NotEqual(winner.GetProperty("node").GetString(), other.GetProperty("node").GetString());
    }

    [Fact]
    public async Task ANamedActorHeldUntilANodeOffersItsResourceKeepsItsNameAndIsCalledByNameOnceHosted()
    {
        var twoCpus = new NodeOptions { Cpus = 2 };
        await using var cluster = await TestCluster.StartAsync([twoCpus, twoCpus], output: output);
        using var creator = ClusterDriverRun.Start(cluster, 0, "actor-held", ["accelerator", "devices"]);
        await creator.ReachedAsync("held");
        await Eventually.ValueAsync(
            async () => (await cluster.StatusAsync()).Nodes.SelectMany(n => n.Infeasible).ToList(),
            lines => lines.Any(l => l.Contains("fpga: 1", StringComparison.Ordinal)),
            "the fpga actor is listed infeasible",
            TimeSpan.FromMinutes(2));

        using (var duplicate = ClusterDriverRun.Start(cluster, 1, "actor-claim", ["accelerator", "devices", "detached"]))
        {
            var refused = await duplicate.ResultAsync();
            Assert.False(refused.GetProperty("created").GetBoolean(), $"A second actor took the held actor's name: {refused}");
            Assert.Equal("ActorNameTakenException", refused.GetProperty("failure").GetProperty("type").GetString());
        }

        creator.Go("held");
        var fpga = await cluster.AddNodeAsync(new NodeOptions { Cpus = 2, Resources = new Dictionary<string, double> { ["fpga"] = 1 } });
        await creator.ReachedAsync("placed");
        using var caller = ClusterDriverRun.Start(cluster, 1, "actor-call", ["accelerator", "devices"]);
        var called = await caller.ResultAsync();
        creator.Go("placed");
        var created = await creator.ResultAsync();

        Assert.Equal(5, created.GetProperty("count").GetInt32());
        Assert.Equal(fpga.State.NodeId, created.GetProperty("node").GetString());
        // The same actor, found by name from another node: the creator's count is in it.
        Assert.Equal(6, called.GetProperty("count").GetInt32());
        Assert.Equal(fpga.State.NodeId, called.GetProperty("node").GetString());
    }

    [Fact]
    public async Task ANamedActorsNameIsFreeAgainOnceItsNodeIsKilled()
    {
        var twoCpus = new NodeOptions { Cpus = 2 };
        await using var cluster = await TestCluster.StartAsync([twoCpus, twoCpus, twoCpus], output: output);
        var victim = cluster.Nodes[1];
        using (var creator = ClusterDriverRun.Start(cluster, 1, "actor-claim", ["phoenix", "default", "detached"]))
        {
            Assert.Equal(victim.State.NodeId, (await creator.ResultAsync()).GetProperty("node").GetString());
        }

        using (var refused = ClusterDriverRun.Start(cluster, 2, "actor-claim", ["phoenix", "default", "detached"]))
        {
            var result = await refused.ResultAsync();
            Assert.Equal("ActorNameTakenException", result.GetProperty("failure").GetProperty("type").GetString());
        }

        await cluster.KillNodeAsync(1);
        await Eventually.ValueAsync(
            cluster.StatusAsync, s => s.Node(victim.State.NodeId)?.IsAlive == false, "the head lists the killed node DEAD", TimeSpan.FromSeconds(30));

        using var successor = ClusterDriverRun.Start(cluster, 2, "actor-claim", ["phoenix", "default", "detached"]);
        var taken = await successor.ResultAsync();
        Assert.True(taken.GetProperty("created").GetBoolean(), $"The dead node's actor's name was not freed: {taken}");
        Assert.Equal(cluster.Nodes[2].State.NodeId, taken.GetProperty("node").GetString());
    }
}
