using Plexus.TestingHost;

namespace Plexus.MultiNode.Tests;

public sealed class PeerLinkTests
{
    [Fact]
    public async Task NodesOfOneClusterLinkThroughThePreambleAndLearnEachOtherFromIt()
    {
        await using var cluster = InProcessCluster.Start(nodes: 3);

        Assert.All(cluster.Nodes, node => Assert.Equal(2, node.PeerCount));
    }

    [Fact]
    public async Task ANodeOfAnotherClusterIsRefusedAndNeitherSideLinks()
    {
        await using var ours = InProcessCluster.Start(nodes: 1);
        await using var theirs = InProcessCluster.Start(nodes: 1);

        // Another cluster's node presents another token: refused before any message.
        await Assert.ThrowsAsync<InvalidClusterTokenException>(() => InProcessCluster.LinkAsync(theirs.Nodes[0], ours.Nodes[0]));

        Assert.Equal(0, ours.Nodes[0].PeerCount);
        Assert.Equal(0, theirs.Nodes[0].PeerCount);
    }

    [Fact]
    public async Task ASecondLinkBetweenTwoLinkedNodesIsRefusedAndTheFirstStays()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => InProcessCluster.LinkAsync(cluster.Nodes[0], cluster.Nodes[1]));

        Assert.All(cluster.Nodes, node => Assert.Equal(1, node.PeerCount));
        var owner = await cluster.Nodes[0].AttachAsync();
        var reader = await cluster.Nodes[1].AttachAsync();
        using var put = owner.Plexus.Put(42);
        using var borrowed = reader.Receive(owner, put);
        Assert.Equal(42, await borrowed.GetAsync(TimeSpan.FromSeconds(30)));
    }
}
