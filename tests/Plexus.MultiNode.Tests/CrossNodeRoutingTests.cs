using Plexus.TestingHost;

namespace Plexus.MultiNode.Tests;

/// <summary>
/// Two nodes in one process: a runtime on one fetches an object owned by a runtime on the other,
/// through its node's router, the link between the nodes and the owner's node's router.
/// </summary>
public sealed class CrossNodeRoutingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AFetchReachesAnOwnerOnAnotherNodeAndItsAnswerComesBack()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2);
        var owner = await cluster.Nodes[0].AttachAsync();
        var reader = await cluster.Nodes[1].AttachAsync();
        using var put = owner.Plexus.Put(new[] { 3, 1, 4, 1, 5 });

        using var borrowed = reader.Receive(owner, put);

        Assert.NotEqual(owner.Address.Node, reader.Address.Node);
        var value = await borrowed.GetAsync(Patience);
        Assert.Equal(new[] { 3, 1, 4, 1, 5 }, value);
        // The reply closed the request on both nodes it crossed.
        Assert.Equal(0, cluster.Nodes[0].OpenRequests + cluster.Nodes[1].OpenRequests);
    }

    [Fact]
    public async Task AFetchOpenWhenTheOwnersProcessExitsFailsWithOwnerDied()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2);
        var owner = await cluster.Nodes[0].AttachAsync();
        var reader = await cluster.Nodes[1].AttachAsync();
        // A node without workers never runs it: the owner answers the fetch only once it exists.
        var never = owner.Plexus.Task(static (int x) => x + 1).Remote(1);
        var borrowed = reader.Receive(owner, never);
        var fetch = borrowed.GetAsync(Patience).AsTask();
        // The request is open on both nodes (the owner holds it until the value exists): only its exit answers it.
        await Eventually.TrueAsync(() => cluster.Nodes[0].OpenRequests == 1 && cluster.Nodes[1].OpenRequests == 1);

        await owner.DisposeAsync();

        await Assert.ThrowsAsync<OwnerDiedException>(() => fetch);
        // The failure closed the request on both nodes it crossed: routers keep nothing for it.
        await Eventually.TrueAsync(() => cluster.Nodes[0].OpenRequests + cluster.Nodes[1].OpenRequests == 0);
    }
}
