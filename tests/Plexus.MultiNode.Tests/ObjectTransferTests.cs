using Plexus.TestingHost;

namespace Plexus.MultiNode.Tests;

/// <summary>
/// Objects stored on one node and read on others: the reader's node copies the object from the
/// node whose store holds it, in chunks, once however many read it there; later copies may come
/// from earlier ones; freeing the object frees every copy; store pressure evicts copies first.
/// </summary>
[Slow]
public sealed class ObjectTransferTests
{
    private const int MiB = 1 << 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    // Copies of many small chunks, one asked for at a time: long enough for reads to overlap them.
    private static readonly SimulatedNodeOptions SlowCopies = new() { StoreCapacity = 64 * MiB, TransferChunkBytes = 64 << 10, TransferChunksInFlight = 1 };

    [Fact]
    public async Task AnObjectPutOnOneNodeIsReadOnAnotherWithEqualContent()
    {
        await using var cluster = InProcessCluster.Start(nodes: 3, new SimulatedNodeOptions { StoreCapacity = 64 * MiB });
        var owner = await cluster.Nodes[0].AttachAsync();
        var reader = await cluster.Nodes[2].AttachAsync();
        var data = RandomBytes(20 * MiB);
        using var put = owner.Plexus.Put(data);

        using var borrowed = reader.Receive(owner, put);
        var read = await borrowed.GetAsync(Patience);

        Assert.True(data.AsSpan().SequenceEqual(read), "the bytes read on node 3 differ from those put on node 1");
        // Node 3 copied it into its own store (several 4 MiB chunks), from node 1; node 2 took no part.
        Assert.Equal(data.Length, cluster.Nodes[2].TransferBytesReceived);
        Assert.Equal(data.Length, cluster.Nodes[0].TransferBytesSent);
        Assert.Equal(0, cluster.Nodes[1].TransferBytesSent + cluster.Nodes[1].TransferBytesReceived);
        Assert.Equal(1, cluster.Nodes[2].CopyCount);
    }

    [Fact]
    public async Task TransferredBytesAreReportedInTheUsageOfBothNodes()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2, new SimulatedNodeOptions { StoreCapacity = 32 * MiB });
        var owner = await cluster.Nodes[0].AttachAsync();
        var reader = await cluster.Nodes[1].AttachAsync();
        using var put = owner.Plexus.Put(RandomBytes(10 * MiB));

        using var borrowed = reader.Receive(owner, put);
        var read = await borrowed.GetAsync(Patience);

        Assert.Equal(read.Length, cluster.Nodes[0].ReportedUsage["transfer_bytes_sent"]);
        Assert.Equal(read.Length, cluster.Nodes[1].ReportedUsage["transfer_bytes_received"]);
        Assert.Equal(0, cluster.Nodes[1].ReportedUsage["transfer_bytes_sent"]);
    }

    [Fact]
    public async Task TwoConcurrentReadsOnOneNodeMakeOneTransfer()
    {
        // Small chunks, one at a time: the copy takes many round trips, so both reads find it under way.
        await using var cluster = InProcessCluster.Start(nodes: 2,
            new SimulatedNodeOptions { StoreCapacity = 16 * MiB, TransferChunkBytes = 64 << 10, TransferChunksInFlight = 1 });
        var owner = await cluster.Nodes[0].AttachAsync();
        var first = await cluster.Nodes[1].AttachAsync();
        var second = await cluster.Nodes[1].AttachAsync();
        var data = RandomBytes(4 * MiB);
        using var put = owner.Plexus.Put(data);
        using var firstRef = first.Receive(owner, put);
        using var secondRef = second.Receive(owner, put);

        var reads = await Task.WhenAll(firstRef.GetAsync(Patience).AsTask(), secondRef.GetAsync(Patience).AsTask());

        Assert.All(reads, read => Assert.True(data.AsSpan().SequenceEqual(read)));
        Assert.Equal(data.Length, cluster.Nodes[1].TransferBytesReceived);
        Assert.Equal(data.Length, cluster.Nodes[0].TransferBytesSent);
    }

    [Fact]
    public async Task ReadsOnManyNodesAreNotAllServedByTheNodeThatStoresTheObjectAndFreeingItFreesEveryCopy()
    {
        await using var cluster = InProcessCluster.Start(nodes: 4, new SimulatedNodeOptions { StoreCapacity = 16 * MiB, TransferChunkBytes = MiB });
        var nodes = cluster.Nodes;
        var baseline = nodes.Select(n => n.StoreUsed).ToArray();
        var owner = await nodes[0].AttachAsync();
        var readers = await Task.WhenAll(nodes.Skip(1).Select(n => n.AttachAsync()));
        var data = RandomBytes(6 * MiB);
        var put = owner.Plexus.Put(data);
        var borrowed = readers.Select(r => r.Receive(owner, put)).ToArray();

        // Node 2 reads first and holds a complete copy; then nodes 3 and 4 read at once.
        var firstRead = await borrowed[0].GetAsync(Patience);
        Assert.True(data.AsSpan().SequenceEqual(firstRead));
        // Node 1 lets go of the object once node 2 says its copy is complete: from then on it counts that copy.
        await Eventually.TrueAsync(() => nodes[0].PinnedObjectCount == 0);
        var later = await Task.WhenAll(borrowed[1].GetAsync(Patience).AsTask(), borrowed[2].GetAsync(Patience).AsTask());

        Assert.All(later, read => Assert.True(data.AsSpan().SequenceEqual(read)));
        Assert.Equal(3 * data.Length, nodes.Sum(n => n.TransferBytesReceived));
        Assert.True(nodes[0].TransferBytesSent < 3 * data.Length,
            $"node 1 sent {nodes[0].TransferBytesSent} bytes: every copy came from it, none from node 2's copy");
        Assert.True(nodes[1].TransferBytesSent > 0, "node 2's copy served no other node");
        Assert.All(nodes.Skip(1), node => Assert.Equal(1, node.CopyCount));

        put.Dispose();
        foreach (var reference in borrowed)
        {
            reference.Dispose();
        }

        // The owner frees it once its borrowers let go: its node tells every node holding a copy.
        var expected = string.Join(", ", baseline);
        await Eventually.ValueAsync(() => string.Join(", ", nodes.Select(n => n.StoreUsed)), used => used == expected);
        Assert.All(nodes, node => Assert.Equal(0, node.CopyCount + node.OwnObjectCount));
    }

    [Fact]
    public async Task ConcurrentReadsOnThreeNodesAreServedByCopiesStillBeingWrittenNotAllByTheSource()
    {
        // Small chunks, one at a time: each copy takes many round trips, so the three overlap.
        await using var cluster = InProcessCluster.Start(nodes: 4, SlowCopies);
        var nodes = cluster.Nodes;
        var owner = await nodes[0].AttachAsync();
        var readers = await Task.WhenAll(nodes.Skip(1).Select(n => n.AttachAsync()));
        var data = RandomBytes(8 * MiB);
        using var put = owner.Plexus.Put(data);
        var borrowed = readers.Select(r => r.Receive(owner, put)).ToArray();

        var reads = await Task.WhenAll(borrowed.Select(b => b.GetAsync(Patience).AsTask()));

        Assert.All(reads, read => Assert.True(data.AsSpan().SequenceEqual(read), "a node read bytes that differ from those put"));
        Assert.Equal(3 * data.Length, nodes.Sum(n => n.TransferBytesReceived));
        Assert.True(nodes[0].TransferBytesSent < 2 * data.Length,
            $"node 1 sent {nodes[0].TransferBytesSent} bytes for 3 copies of {data.Length}: the readers did not serve one another");
        foreach (var reference in borrowed)
        {
            reference.Dispose();
        }
    }

    [Fact]
    public async Task AReadServedByACopyBeingWrittenCompletesWhenThatCopysNodeGoesAway()
    {
        await using var cluster = InProcessCluster.Start(nodes: 3, SlowCopies);
        var nodes = cluster.Nodes;
        var owner = await nodes[0].AttachAsync();
        var first = await nodes[1].AttachAsync();
        var second = await nodes[2].AttachAsync();
        var data = RandomBytes(32 * MiB);
        using var put = owner.Plexus.Put(data);
        using var firstRef = first.Receive(owner, put);
        using var secondRef = second.Receive(owner, put);
        _ = firstRef.GetAsync(Patience).AsTask(); // Fails when node 2 goes: its reader was there.
        await Eventually.TrueAsync(() => nodes[1].TransferBytesReceived > 0);

        // Node 3 is sent to node 2, whose copy is being written, and is served from it.
        var secondRead = secondRef.GetAsync(Patience).AsTask();
        await Eventually.TrueAsync(() => nodes[1].TransferBytesSent > 0);
        await nodes[1].DisposeAsync();

        var read = await secondRead;
        Assert.True(data.AsSpan().SequenceEqual(read), "the bytes read on node 3 differ from those put on node 1");
        Assert.Equal(1, nodes[2].CopyCount);
    }

    [Fact]
    public async Task AReadOfAnObjectItsNodeHasLostFailsWithObjectLostNamingTheNode()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2, new SimulatedNodeOptions { StoreCapacity = 16 * MiB });
        var owner = await cluster.Nodes[0].AttachAsync();
        var reader = await cluster.Nodes[1].AttachAsync();
        using var put = owner.Plexus.Put(RandomBytes(2 * MiB));
        owner.LoseFromStore(put);

        using var borrowed = reader.Receive(owner, put);
        var lost = await Assert.ThrowsAsync<ObjectLostException>(() => borrowed.GetAsync(Patience).AsTask());

        Assert.Contains(cluster.Nodes[0].NodeId.ToString("x16"), lost.Message, StringComparison.Ordinal);
        Assert.Contains(put.Id.ToString(), lost.Message, StringComparison.Ordinal);
        // The failed copy left nothing behind on the reader's node.
        Assert.Equal(0, cluster.Nodes[1].StoreUsed);
    }

    [Fact]
    public async Task AReadOnANodeWithNoRoomForTheCopyFailsWithStoreFullNamingTheNode()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2, new SimulatedNodeOptions { StoreCapacity = 16 * MiB });
        var owner = await cluster.Nodes[0].AttachAsync();
        var local = await cluster.Nodes[1].AttachAsync();
        using var put = owner.Plexus.Put(RandomBytes(10 * MiB));
        // A view pins node 2's own object: it can be neither collected nor spilled to make room.
        using var own = await local.Plexus.PutAsync(RandomBytes(8 * MiB));
        using var view = await own.GetViewAsync(Patience);
        var usedBefore = cluster.Nodes[1].StoreUsed;

        using var borrowed = local.Receive(owner, put);
        var read = borrowed.GetAsync(Patience).AsTask();
        await Eventually.TrueAsync(() => cluster.Nodes[1].PendingCreates == 1);
        // The node's clock passes its create timeout (30 s) while the copy waits for room.
        await Eventually.TrueAsync(() =>
        {
            cluster.Time.Advance(TimeSpan.FromSeconds(1));
            return read.IsCompleted;
        });

        var full = await Assert.ThrowsAsync<ObjectStoreFullException>(() => read);
        Assert.Contains(cluster.Nodes[0].NodeId.ToString("x16"), full.Message, StringComparison.Ordinal);
        Assert.Contains("could not be copied", full.Message, StringComparison.Ordinal);
        Assert.Equal(usedBefore, cluster.Nodes[1].StoreUsed);
        // Node 2 gave up the pull: node 1 lets go of the pin it took for it.
        await Eventually.TrueAsync(() => cluster.Nodes[0].PinnedObjectCount == 0);
    }

    [Fact]
    public async Task AReadWhoseSourceNodeStopsDuringThePullFailsWithObjectLostNamingIt()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2, new SimulatedNodeOptions { StoreCapacity = 16 * MiB });
        var owner = await cluster.Nodes[0].AttachAsync();
        var local = await cluster.Nodes[1].AttachAsync();
        using var put = owner.Plexus.Put(RandomBytes(10 * MiB));
        // The copy waits for room on node 2 (a view pins its own object) when node 1 goes.
        using var own = await local.Plexus.PutAsync(RandomBytes(8 * MiB));
        using var view = await own.GetViewAsync(Patience);
        var usedBefore = cluster.Nodes[1].StoreUsed;
        using var borrowed = local.Receive(owner, put);
        var read = borrowed.GetAsync(Patience).AsTask();
        await Eventually.TrueAsync(() => cluster.Nodes[1].PendingCreates == 1);

        await cluster.Nodes[0].DisposeAsync();

        // The owner ran on the node that stopped: the reader learns it either from the failed pull
        // (ObjectLostException) or, asking the owner again to make the object, as OwnerDiedException;
        // both name the node.
        var lost = await Assert.ThrowsAnyAsync<ObjectLostException>(() => read);
        Assert.Contains(cluster.Nodes[0].NodeId.ToString("x16"), lost.Message, StringComparison.Ordinal);
        Assert.Equal(0, cluster.Nodes[1].PendingCreates);
        Assert.Equal(usedBefore, cluster.Nodes[1].StoreUsed);
    }

    [Fact]
    public async Task AnObjectSpilledOnItsNodeIsReadBackThereAndServed()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2, new SimulatedNodeOptions { StoreCapacity = 8 * MiB, TransferChunkBytes = MiB });
        var owner = await cluster.Nodes[0].AttachAsync();
        var reader = await cluster.Nodes[1].AttachAsync();
        var data = RandomBytes(3 * MiB);
        using var spilled = await owner.Plexus.PutAsync(data);
        using var second = await owner.Plexus.PutAsync(RandomBytes(3 * MiB));
        // A third does not fit: the least recently used go to disk, the first put among them.
        using var third = await owner.Plexus.PutAsync(RandomBytes(3 * MiB));
        Assert.True(cluster.Nodes[0].SpilledObjectCount > 0);

        using var borrowed = reader.Receive(owner, spilled);
        var read = await borrowed.GetAsync(Patience);

        Assert.True(data.AsSpan().SequenceEqual(read));
        Assert.Equal(data.Length, cluster.Nodes[1].TransferBytesReceived);
    }

    [Fact]
    public async Task StorePressureOnANodeEvictsItsCopiesBeforeSpillingItsOwnObjects()
    {
        await using var cluster = InProcessCluster.Start(nodes: 2, new SimulatedNodeOptions { StoreCapacity = 16 * MiB, TransferChunkBytes = MiB });
        var remote = await cluster.Nodes[0].AttachAsync();
        var local = await cluster.Nodes[1].AttachAsync();
        // Node 2's own object is older than its copy: least recently used alone would spill it first.
        using var own = await local.Plexus.PutAsync(RandomBytes(4 * MiB));
        using var put = remote.Plexus.Put(RandomBytes(4 * MiB));
        using var borrowed = local.Receive(remote, put);
        await borrowed.GetAsync(Patience);
        Assert.Equal(1, cluster.Nodes[1].CopyCount);

        // Past high water (0.8): the node makes room down to 0.7, which evicting the copy alone does.
        using var more = await local.Plexus.PutAsync(RandomBytes(6 * MiB));

        await Eventually.TrueAsync(() => cluster.Nodes[1].CopyCount == 0);
        Assert.Equal(0, cluster.Nodes[1].SpilledObjectCount);
        Assert.Equal(2, cluster.Nodes[1].OwnObjectCount);
        // The object is still at its primary: a read pulls it again.
        var again = await local.Receive(remote, put).GetAsync(Patience);
        Assert.Equal(4 * MiB, again.Length);
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
