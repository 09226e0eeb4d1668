using Plexus.Protocol.Handshake;
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

    [Fact]
    public async Task ALinkWithANodeTheClusterDeclaredDeadIsRefusedEitherWay()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2);
        var (live, dead) = (cluster.Nodes[0], cluster.Nodes[1]);

        await live.SeeClusterAsync(alive: [], dead: [dead]);
        await Eventually.ValueAsync(() => Task.FromResult(live.PeerCount + dead.PeerCount), n => n == 0, "the link to the dead node is dropped", Patience);

        var accepting = await Assert.ThrowsAsync<PeerRefusedException>(() => InProcessCluster.LinkAsync(dead, live));
        Assert.Contains("declared that node dead", accepting.Message);
        await Assert.ThrowsAsync<PeerRefusedException>(() => InProcessCluster.LinkAsync(live, dead));
        Assert.Equal(0, live.PeerCount);
    }

    [Fact]
    public async Task ALinkFromAnotherIncarnationThanTheClusterListsIsRefused()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2);
        var (node, stranger) = (cluster.Nodes[0], cluster.Nodes[1]);

        // The view lists the stranger's id under an incarnation it does not present.
        await node.SeeClusterAsync(alive: [(stranger, stranger.Incarnation + 2)], dead: []);
        await node.DisconnectAsync(stranger);
        await Eventually.ValueAsync(() => Task.FromResult(node.PeerCount + stranger.PeerCount), n => n == 0, "the link is dropped", Patience);

        var refused = await Assert.ThrowsAsync<PeerRefusedException>(() => InProcessCluster.LinkAsync(stranger, node));
        Assert.Contains("incarnation", refused.Message);
        Assert.Equal(0, node.PeerCount);
    }

    [Fact]
    public async Task ALostLinkToANodeListedAliveIsReportedUnreachableUntilTheNodeIsDeclaredDead()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2);
        var (reporter, peer) = (cluster.Nodes[0], cluster.Nodes[1]);
        await reporter.SeeClusterAsync(alive: [(peer, peer.Incarnation)], dead: []);
        Assert.Empty(reporter.UnreachablePeers);

        await reporter.DisconnectAsync(peer);

        await Eventually.ValueAsync(() => Task.FromResult(reporter.UnreachablePeers), p => p.SequenceEqual([peer.NodeId]), "the lost link is reported", Patience);
        await reporter.SeeClusterAsync(alive: [], dead: [peer]);
        Assert.Empty(reporter.UnreachablePeers);
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
}
