using Plexus.TestingHost;

namespace Plexus.MultiNode.Tests;

/// <summary>When a node is lost its processes count as dead: copies elsewhere of the objects they owned go, copies of live owners stay.</summary>
public sealed class DeadOwnerCopyTests
{
    private const int MiB = 1 << 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CopiesOfObjectsOwnedOnALostNodeAreFreedAndCopiesOfLiveOwnersStay()
    {
        await using var cluster = InProcessCluster.Start(nodes: 3, new SimulatedNodeOptions { StoreCapacity = 64 * MiB });
        var (lost, live, reading) = (cluster.Nodes[0], cluster.Nodes[1], cluster.Nodes[2]);
        var deadOwner = await lost.AttachAsync();
        var liveOwner = await live.AttachAsync();
        var reader = await reading.AttachAsync();
        using var deadPut = deadOwner.Plexus.Put(new byte[8 * MiB]);
        using var livePut = liveOwner.Plexus.Put(new byte[4 * MiB]);
        using var deadBorrowed = reader.Receive(deadOwner, deadPut);
        using var liveBorrowed = reader.Receive(liveOwner, livePut);
        await deadBorrowed.GetAsync(Patience);
        await liveBorrowed.GetAsync(Patience);
        Assert.Equal(2, reading.CopyCount);

        await reading.DisconnectAsync(lost);

        await Eventually.TrueAsync(() => reading.CopyCount == 1, "the copy owned on the lost node is freed", Patience);
        Assert.InRange(reading.StoreUsed, 4 * MiB, 8 * MiB - 1);
        var read = await liveBorrowed.GetAsync(Patience);
        Assert.Equal(4 * MiB, read.Length);
    }
}
