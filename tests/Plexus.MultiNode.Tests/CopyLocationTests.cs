using Plexus.TestingHost;

namespace Plexus.MultiNode.Tests;

/// <summary>
/// Copies of an object found by asking every node, and made the object's primary by their holder,
/// as an owner does when the object's own node is gone.
/// </summary>
[Slow]
public sealed class CopyLocationTests
{
    private const int MiB = 1 << 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AReadersCopyIsFoundOnItsNodeAndAdoptedThereAsThePrimary()
    {
        await using var cluster = InProcessCluster.Start(nodes: 3, new SimulatedNodeOptions { StoreCapacity = 64 * MiB });
        var owner = await cluster.Nodes[0].AttachAsync();
        var reader = await cluster.Nodes[2].AttachAsync();
        using var put = owner.Plexus.Put(new byte[4 * MiB]);
        using (var borrowed = reader.Receive(owner, put))
        {
            await borrowed.GetAsync(Patience);
        }

        Assert.Equal(1, cluster.Nodes[2].CopyCount);

        var (found, adopted) = await owner.FindAndAdoptCopiesAsync(put);

        Assert.Equal([cluster.Nodes[2].NodeId], found);
        Assert.Equal([cluster.Nodes[2].NodeId], adopted);
        Assert.Equal(0, cluster.Nodes[2].CopyCount);
        Assert.Equal(1, cluster.Nodes[2].OwnObjectCount);
    }

    [Fact]
    public async Task AnObjectWithNoCopyIsNotFound()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2, new SimulatedNodeOptions { StoreCapacity = 32 * MiB });
        var owner = await cluster.Nodes[0].AttachAsync();
        using var put = owner.Plexus.Put(new byte[2 * MiB]);

        var (found, adopted) = await owner.FindAndAdoptCopiesAsync(put);

        Assert.Empty(found);
        Assert.Empty(adopted);
    }
}
