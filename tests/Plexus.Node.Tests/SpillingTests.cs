using Microsoft.Extensions.Time.Testing;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>Objects that do not fit go to disk and come back, byte for byte, when read.</summary>
[Slow]
public sealed class SpillingTests
{
    private const long ObjectSize = 256 << 10;

    [Fact]
    public async Task WritingThreeTimesTheCapacitySpillsAndEveryObjectReadsBackByteIdentical()
    {
        await using var test = new TestNode();
        var ids = new List<ObjectId>();
        for (var i = 0; i < 3 * TestNode.Capacity / ObjectSize; i++)
        {
            ids.Add(await test.PutAsync(ObjectSize));
        }

        Assert.True(test.Node.SpilledObjectCount > 0);
        foreach (var id in ids)
        {
            var pinned = await test.PinAndCheckAsync(id);
            test.Node.UnpinObject(id, pinned.Offset);
        }

        Assert.True(test.Node.BytesSpilled >= 2 * TestNode.Capacity);
        Assert.True(test.Node.BytesRestored > 0);
    }

    [Fact]
    public async Task PinnedObjectIsNeverSpilledAndItsBytesNeverChange()
    {
        await using var test = new TestNode();
        var held = await test.PutAsync(ObjectSize);
        var pinned = await test.PinAndCheckAsync(held);

        for (var i = 0; i < 3 * TestNode.Capacity / ObjectSize; i++)
        {
            await test.PutAsync(ObjectSize);
            Assert.Equal(StoredObjectState.InMemory, test.StateOf(held));
        }

        Assert.True(test.Node.SpilledObjectCount > 0);
        var again = await test.PinAndCheckAsync(held);
        Assert.Equal(pinned.Offset, again.Offset);
    }

    [Fact]
    public async Task SpillFilesAreDeletedOnceTheirObjectsAreFreedAndTheDirectoryAtDispose()
    {
        var test = new TestNode();
        string directory;
        try
        {
            var send = test.AttachDriver(_ => { });
            var ids = new List<ObjectId>();
            for (var i = 0; i < 2 * TestNode.Capacity / ObjectSize; i++)
            {
                ids.Add(await test.PutAsync(ObjectSize));
            }

            directory = test.Node.SpillDirectory;
            Assert.True(test.Node.SpillFileCount > 0);
            Assert.NotEmpty(Directory.GetFiles(directory, "spill-*"));

            send(new FreeObjects { Objects = [.. ids] });

            Assert.Equal((0, 0, 0L), (test.Node.SpillFileCount, test.Node.SpilledObjectCount, test.Node.SpilledBytes));
            Assert.Empty(Directory.GetFiles(directory, "spill-*"));
            Assert.Empty(test.Node.DescribeStore());
        }
        finally
        {
            await test.DisposeAsync();
        }

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task RestoredObjectEvictedAgainIsNotWrittenAgainAndReadsBackByteIdentical()
    {
        const long MiB = 1 << 20;
        await using var test = new TestNode();
        var large = await test.PutAsync(MiB * 5 / 2);
        await test.PinAndCheckAsync(large);
        var spilled = await test.PutAsync(MiB);
        // Past high water with `spilled` the only candidate: it goes to disk.
        await Eventually.TrueAsync(() => test.StateOf(spilled) == StoredObjectState.Spilled, "the unpinned object is spilled");
        var written = test.Node.BytesSpilled;

        var restored = await test.PinAndCheckAsync(spilled);
        Assert.Equal((0, 1), (test.Node.SpilledObjectCount, test.Node.SpillFileCount));
        // Still past high water: once unpinned, it leaves memory again, its kept copy standing for it.
        test.Node.UnpinObject(spilled, restored.Offset);
        await Eventually.TrueAsync(() => test.StateOf(spilled) == StoredObjectState.Spilled, "the restored object is evicted again");

        Assert.Equal(written, test.Node.BytesSpilled);
        Assert.Equal((1, MiB), (test.Node.SpilledObjectCount, test.Node.SpilledBytes));
        await test.PinAndCheckAsync(spilled);
        Assert.Equal(2 * MiB, test.Node.BytesRestored);
    }

    [Fact]
    public async Task SpillFileOfARestoredObjectIsDeletedWhenTheObjectIsFreed()
    {
        await using var test = new TestNode();
        var send = test.AttachDriver(_ => { });
        var ids = new List<ObjectId>();
        for (var i = 0; i < 2 * TestNode.Capacity / ObjectSize; i++)
        {
            ids.Add(await test.PutAsync(ObjectSize));
        }

        var spilled = ids.Where(id => test.StateOf(id) == StoredObjectState.Spilled).ToList();
        Assert.NotEmpty(spilled);
        foreach (var id in spilled)
        {
            var pinned = await test.PinAndCheckAsync(id);
            test.Node.UnpinObject(id, pinned.Offset);
        }

        send(new FreeObjects { Objects = [.. ids] });

        Assert.Equal((0, 0, 0L), (test.Node.SpillFileCount, test.Node.SpilledObjectCount, test.Node.SpilledBytes));
        Assert.Empty(Directory.GetFiles(test.Node.SpillDirectory, "spill-*"));
    }

    [Fact]
    public async Task RestoresAreServedBeforeQueuedCreates()
    {
        const long MiB = 1 << 20;
        await using var test = new TestNode();
        var send = test.AttachDriver(_ => { });
        var large = await test.PutAsync(MiB * 5 / 2);
        await test.PinAndCheckAsync(large);
        var spilled = await test.PutAsync(MiB);
        // Past high water with `spilled` the only candidate: it goes to disk, leaving one free range at the end.
        await Eventually.TrueAsync(() => test.StateOf(spilled) == StoredObjectState.Spilled, "the unpinned object is spilled");
        var blocker = await test.PutAsync(MiB * 7 / 5);
        var blockerPin = await test.PinAndCheckAsync(blocker);

        var create = test.Node.CreateObjectAsync(TestNode.NewId(), MiB).AsTask();
        await Eventually.TrueAsync(() => test.Node.PendingCreates == 1, "the create waits");
        var restore = test.Node.PinObjectAsync(spilled).AsTask();
        Assert.False(restore.IsCompleted);
        // Room for one of the two: the reader gets it.
        test.Node.UnpinObject(blocker, blockerPin.Offset);
        send(new FreeObjects { Objects = [blocker] });
        var restored = await restore;

        Assert.True(restored.Found);
        Assert.Equal(1, test.Node.PendingCreates);
        Assert.False(create.IsCompleted);
        await test.PinAndCheckAsync(spilled);
    }

    [Fact]
    public async Task ReadingBackASpilledObjectFailsWithStoreFullWhenNoRoomAppearsAndWorksOnceThereIs()
    {
        const long MiB = 1 << 20;
        // The node's clock is a fake one the test moves on; in real time the test would wait far longer than its deadline.
        var time = new FakeTimeProvider();
        var step = TimeSpan.FromSeconds(30);
        await using var test = new TestNode(o =>
        {
            o.CreateTimeout = TimeSpan.FromMinutes(5);
            o.TimeProvider = time;
        });
        var send = test.AttachDriver(_ => { });
        var large = await test.PutAsync(MiB * 5 / 2);
        await test.PinAndCheckAsync(large);
        var spilled = await test.PutAsync(MiB);
        await FakeClock.AdvanceUntilAsync(time, step, () => test.StateOf(spilled) == StoredObjectState.Spilled, "the unpinned object is spilled");
        var blocker = await test.PutAsync(MiB * 7 / 5);
        var blockerPin = await test.PinAndCheckAsync(blocker);

        var pinning = test.Node.PinObjectAsync(spilled).AsTask();
        await FakeClock.AdvanceUntilAsync(time, step, () => pinning.IsCompleted, "the read-back times out");
        var refused = await pinning;

        Assert.False(refused.Found);
        Assert.Equal(ErrorKind.StoreFull, refused.Error!.Kind);
        Assert.Contains("no room to read its", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(StoredObjectState.Spilled, test.StateOf(spilled));
        test.Node.UnpinObject(blocker, blockerPin.Offset);
        send(new FreeObjects { Objects = [blocker] });
        await test.PinAndCheckAsync(spilled);
    }
}
