using System.Diagnostics;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>The store's state changes during spill I/O and when processes die, step by step.</summary>
public sealed class NodeObjectStoreTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void ObjectFreedWhileBeingSpilledIsDroppedAndItsFileDeleted()
    {
        var id = _harness.Sealed();
        var victims = _harness.PlanSpillOf(id);
        var outbox = _harness.Outbox();

        _harness.Objects.Free(id, outbox);
        var usedDuringWrite = _harness.Store.Used;
        var file = _harness.FinishSpill(victims);

        Assert.True(usedDuringWrite > 0, "the range stays protected while it is written");
        Assert.Equal(0, _harness.Store.Used);
        Assert.Null(_harness.Store.Find(id));
        Assert.False(File.Exists(file.Path));
        Assert.Equal(0, _harness.Spills.SpilledObjects);
    }

    [Fact]
    public void ObjectPinnedWhileBeingSpilledStaysInMemoryUnchanged()
    {
        var id = _harness.Sealed();
        var victims = _harness.PlanSpillOf(id);

        var attempt = _harness.Objects.Pin(id, (_, _) => { }, _harness.Outbox(), out var pinned);
        var file = _harness.FinishSpill(victims);

        Assert.Equal(PinAttempt.Pinned, attempt);
        Assert.Equal(StoredObjectState.InMemory, _harness.Store.Find(id)!.State);
        Assert.True(_harness.HoldsPattern(id, pinned!.Offset, StoreHarness.Size));
        Assert.False(File.Exists(file.Path));
    }

    [Fact]
    public void PinOfASpilledObjectIsAnsweredAfterTheRestoreAtTheNewOffset()
    {
        var id = _harness.Sealed();
        var oldOffset = _harness.Store.Find(id)!.Offset;
        var file = _harness.FinishSpill(_harness.PlanSpillOf(id));
        _harness.Sealed(); // Takes the range the spill released.
        var retried = 0;

        var outbox = _harness.Outbox();
        var attempt = _harness.Objects.Pin(id, (_, error) => { Assert.Null(error); retried++; }, outbox, out _);
        outbox.Flush(); // Starts the restore, as the node does once it lets go of its lock.
        _harness.RunRestores();
        var again = _harness.Objects.Pin(id, (_, _) => { }, _harness.Outbox(), out var pinned);

        Assert.Equal(PinAttempt.Restoring, attempt);
        Assert.Equal(1, retried);
        Assert.Equal(PinAttempt.Pinned, again);
        Assert.NotEqual(oldOffset, pinned!.Offset);
        Assert.True(_harness.HoldsPattern(id, pinned.Offset, StoreHarness.Size));
        Assert.True(File.Exists(file.Path), "the restored object keeps its spill copy");
        Assert.Equal(StoreHarness.Size, _harness.Spills.BytesRestored);
    }

    [Fact]
    public void RestoredObjectLeavesMemoryWithoutAWriteBeforeOlderObjectsThatMustBeWritten()
    {
        var restored = _harness.Sealed();
        var file = _harness.FinishSpill(_harness.PlanSpillOf(restored));
        var oldest = _harness.Sealed(1_100_000);
        _harness.Sealed(1_100_000);
        _harness.Sealed(1_100_000);
        Restore(restored);
        // The restore and pin made it the most recently used object; usage is now above high water.
        Assert.True(_harness.Store.Used > _harness.Objects.HighWaterBytes);

        var plan = _harness.Objects.PlanSpill(long.MaxValue, _harness.Outbox());

        Assert.Equal(StoreHarness.Size, plan.EvictedBytes);
        Assert.Equal(StoredObjectState.Spilled, _harness.Store.Find(restored)!.State);
        Assert.Equal([oldest], plan.Writes!.Select(v => v.Id));
        Assert.True(File.Exists(file.Path));
        Assert.Equal((1, StoreHarness.Size), (_harness.Spills.SpilledObjects, _harness.Spills.SpilledBytes));
        _harness.FinishSpill(plan.Writes!);
        Restore(restored);
        Assert.True(_harness.HoldsPattern(restored, _harness.Store.Find(restored)!.Offset, StoreHarness.Size));
    }

    [Fact]
    public void FileOfARestoredObjectIsDeletedWhenTheObjectIsFreed()
    {
        var id = _harness.Sealed();
        var file = _harness.FinishSpill(_harness.PlanSpillOf(id));
        Restore(id);
        Assert.Equal((1, 0), (_harness.Spills.FileCount, _harness.Spills.SpilledObjects));

        _harness.Objects.Free(id, _harness.Outbox());

        Assert.False(File.Exists(file.Path));
        Assert.Equal(0, _harness.Spills.FileCount);
    }

    [Fact]
    public void QueuedCreatesOfADeadRequesterAreDroppedAndThoseForADeadOwnerRefused()
    {
        while (_harness.Store.TryCreate(TestNode.NewId(), 1 << 20, owner: 0) is not null)
        {
        }

        var answers = new List<(int Requester, CreateReply Reply)>();
        var byDeadRequester = Pending(requester: 5, owner: 0, answers);
        var forDeadOwner = Pending(requester: 6, owner: 5, answers);
        var outbox = _harness.Outbox();
        _harness.Objects.Create(byDeadRequester, outbox);
        _harness.Objects.Create(forDeadOwner, outbox);
        Assert.Equal(2, _harness.Objects.PendingCreates);

        _harness.Objects.OnProcessDied(5, outbox);

        Assert.Equal(0, _harness.Objects.PendingCreates);
        var (requester, reply) = Assert.Single(answers);
        Assert.Equal(6, requester);
        Assert.Equal(ErrorKind.OwnerDied, reply.Error!.Kind);
    }

    [Fact]
    public void ObjectsOfADeadOwnerAreFreedWhereverTheyAre()
    {
        var inMemory = _harness.Sealed(owner: 5);
        var spilled = _harness.Sealed(owner: 5);
        var file = _harness.FinishSpill(_harness.PlanSpillOf(spilled));

        _harness.Objects.OnProcessDied(5, _harness.Outbox());

        Assert.Null(_harness.Store.Find(inMemory));
        Assert.Null(_harness.Store.Find(spilled));
        Assert.Equal(0, _harness.Store.Used);
        Assert.False(File.Exists(file.Path));
    }

    [Fact]
    public void AnObjectGoneWithItsOwnerSaysSoToAReaderAndOneFreedByItsOwnerDoesNot()
    {
        var orphan = _harness.Sealed(owner: 5);
        var freed = _harness.Sealed(owner: 6);
        _harness.Objects.Free(freed, _harness.Outbox());

        _harness.Objects.OnProcessDied(5, _harness.Outbox());

        // A reader can pin before its runtime hears of the exit: the node's answer names the cause.
        Assert.Equal(PinAttempt.Missing, _harness.Objects.Pin(orphan, (_, _) => { }, _harness.Outbox(), out _));
        Assert.Equal(ErrorKind.OwnerDied, _harness.Objects.Orphans.WhyGone(orphan)?.Kind);
        Assert.Null(_harness.Objects.Orphans.WhyGone(freed));
    }

    [Fact]
    public void AnObjectItsWriterDiedBeforeSealingIsFreedAndOneItSealedIsKept()
    {
        var answers = new List<(int, CreateReply)>();
        var (unsealed, sealedOne) = (Pending(requester: 5, owner: 0, answers), Pending(requester: 5, owner: 0, answers));
        var outbox = _harness.Outbox();
        _harness.Objects.Create(unsealed, outbox);
        _harness.Objects.Create(sealedOne, outbox);
        _harness.Objects.Seal(sealedOne.Id, ValueFormat.RawArray);
        var usedBySealed = _harness.Store.Used / 2;

        _harness.Objects.OnProcessDied(5, outbox);

        Assert.Null(_harness.Store.Find(unsealed.Id));
        Assert.Equal(StoredObjectState.InMemory, _harness.Store.Find(sealedOne.Id)?.State);
        Assert.Equal(usedBySealed, _harness.Store.Used);
        // The owner lives: the id is not reported gone with its owner, and a retry may create it again.
        Assert.Null(_harness.Objects.Orphans.WhyGone(unsealed.Id));
    }

    // Pins a spilled object, runs its restore, and lets go of the pin.
    private void Restore(ObjectId id)
    {
        var outbox = _harness.Outbox();
        Assert.Equal(PinAttempt.Restoring, _harness.Objects.Pin(id, (_, _) => { }, outbox, out _));
        outbox.Flush();
        _harness.RunRestores();
        Assert.Equal(PinAttempt.Pinned, _harness.Objects.Pin(id, (_, _) => { }, _harness.Outbox(), out var pinned));
        _harness.Objects.Unpin(id, pinned!.Offset, _harness.Outbox());
    }

    private static PendingCreate Pending(int requester, int owner, List<(int, CreateReply)> answers) =>
        new(1, TestNode.NewId(), 1 << 20, owner, requester, Stopwatch.GetTimestamp(), (_, reply) => answers.Add((requester, reply)));
}
