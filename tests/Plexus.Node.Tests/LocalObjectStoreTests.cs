using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

public sealed class LocalObjectStoreTests : IDisposable
{
    private readonly TempDirectory _directory = TempDirectory.InSharedMemory();
    private readonly LocalObjectStore _store;

    public LocalObjectStoreTests() => _store = new LocalObjectStore(TestNode.Capacity, _directory.Path);

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void SpillVictimsAreSealedUnpinnedObjectsLeastRecentlyUsedFirst()
    {
        var old = Sealed(1000);
        var pinned = Sealed(1000);
        var recent = Sealed(1000);
        var writing = TestNode.NewId();
        _store.TryCreate(writing, 1000, owner: 0);
        Pin(pinned);
        // Pinning `old` and letting go makes it the most recently used.
        var view = Pin(old);
        _store.Unpin(old, view.Offset);

        var victims = _store.ChooseVictims(bytes: long.MaxValue, maxBytes: long.MaxValue);

        Assert.Equal([recent, old], victims.Select(v => v.Id));
    }

    [Fact]
    public void SpillPassStopsAtItsFileCapButAlwaysTakesOneObject()
    {
        var first = Sealed(300_000);
        Sealed(300_000);

        var victims = _store.ChooseVictims(bytes: long.MaxValue, maxBytes: 100_000);

        Assert.Equal([first], victims.Select(v => v.Id));
    }

    [Fact]
    public void FreedObjectThatIsPinnedKeepsItsRangeUntilTheLastUnpin()
    {
        var id = Sealed(1 << 20);
        var view = Pin(id);
        var usedWhilePinned = _store.Used;

        _store.Free(id);

        Assert.Null(_store.Find(id));
        Assert.Equal(usedWhilePinned, _store.Used);
        _store.Unpin(id, view.Offset);
        Assert.Equal(0, _store.Used);
    }

    [Fact]
    public void AnObjectBeingWrittenCannotBePinned()
    {
        var id = TestNode.NewId();
        _store.TryCreate(id, 1000, owner: 0);

        Assert.Null(_store.TryPinInMemory(_store.Find(id)!));
    }

    private ObjectId Sealed(long size)
    {
        var id = TestNode.NewId();
        Assert.NotNull(_store.TryCreate(id, size, owner: 0));
        _store.Seal(id, ValueFormat.RawArray);
        return id;
    }

    private ObjectValue Pin(ObjectId id) => _store.TryPinInMemory(_store.Find(id)!)!;
}
