using Plexus.Core.References;
using Plexus.Protocol.Messages;

namespace Plexus.Tests;

/// <summary>The reference table alone: counts, borrowers, nested refs, and what each change requires.</summary>
public sealed class ReferenceTableTests
{
    private static readonly JobId Job = new(1, 2);
    private static readonly ProcessAddress Self = new(7, 0);
    private static readonly ProcessAddress Worker = new(7, 1);
    private static readonly ProcessAddress OtherWorker = new(7, 2);

    private static ObjectId Id(uint index) => ObjectId.ForPut(TaskId.Root(Job), index);

    private static ObjectValue Stored(ObjectId id, params NestedRef[] nested) =>
        new() { Id = id, Location = ValueLocation.Stored, Format = ValueFormat.MessagePack, Offset = 64, Size = 1000, Nested = nested.Length == 0 ? null : nested };

    private static RefEntry OwnedReady(ReferenceTable table, ObjectId id, int handles = 1, params NestedRef[] nested)
    {
        var entry = table.AddOwned(id, handles, pendingTasks: 0, callSite: null);
        table.ResolveOwned(Stored(id, nested), granted: false, new RefEffects());
        return entry;
    }

    [Fact]
    public void LastHandleFreesTheStoreCopyAndEarlierOnesDoNot()
    {
        var table = new ReferenceTable(Self);
        OwnedReady(table, Id(1), handles: 1);
        Assert.True(table.AddHandle(Id(1), Self));

        var effects = new RefEffects();
        table.ReleaseHandle(Id(1), effects);
        Assert.True(effects.IsEmpty);
        table.ReleaseHandle(Id(1), effects);
        Assert.False(effects.IsEmpty);
        Assert.Null(table.Inspect(Id(1)));
        Assert.False(table.AddHandle(Id(1), Self), "a handle to a freed owned object must not revive it");
    }

    [Fact]
    public void BorrowersKeepAnObjectAliveUntilTheyRelease()
    {
        var table = new ReferenceTable(Self);
        OwnedReady(table, Id(1));
        table.AddBorrower(Id(1), Worker);
        var effects = new RefEffects();
        table.ReleaseHandle(Id(1), effects);
        Assert.NotNull(table.Inspect(Id(1)));

        table.ReleaseBorrower(Id(1), Worker, 1, effects);
        Assert.Null(table.Inspect(Id(1)));
        Assert.False(effects.IsEmpty);
    }

    [Fact]
    public void AReleaseThatOvertakesItsGrantDoesNotFreeWhileAnotherHolderRemains()
    {
        var table = new ReferenceTable(Self);
        OwnedReady(table, Id(1));
        table.AddBorrower(Id(1), Worker);
        var effects = new RefEffects();
        table.ReleaseHandle(Id(1), effects);

        // OtherWorker's release arrives before the grant Worker sent on its behalf.
        table.ReleaseBorrower(Id(1), OtherWorker, 1, effects);
        Assert.NotNull(table.Inspect(Id(1)));
        table.AddBorrower(Id(1), OtherWorker);
        Assert.NotNull(table.Inspect(Id(1)));
        table.ReleaseBorrower(Id(1), Worker, 1, effects);
        Assert.Null(table.Inspect(Id(1)));
    }

    [Fact]
    public void AnObjectContainedInAnotherLivesAsLongAsItsContainer()
    {
        var table = new ReferenceTable(Self);
        OwnedReady(table, Id(1));
        OwnedReady(table, Id(2), handles: 1, new NestedRef(Id(1), Self));
        var effects = new RefEffects();
        table.ReleaseHandle(Id(1), effects);
        Assert.Equal(1, table.Inspect(Id(1))!.Value.ContainedIn);

        table.ReleaseHandle(Id(2), effects);
        Assert.Null(table.Inspect(Id(2)));
        Assert.Null(table.Inspect(Id(1)));
    }

    [Fact]
    public void ABorrowedRefIsReleasedToItsOwnerWithEveryRegistration()
    {
        var table = new ReferenceTable(Worker);
        var borrowed = new NestedRef(Id(9), Self);
        // A value containing the ref arrives twice from processes that registered this one each time.
        OwnedReadyFrom(table, Id(1), borrowed);
        OwnedReadyFrom(table, Id(2), borrowed);
        Assert.Equal(2, table.Inspect(Id(9))!.Value.Registrations);

        var effects = new RefEffects();
        table.ReleaseHandle(Id(1), effects);
        Assert.Equal(1, table.Inspect(Id(9))!.Value.ContainedIn);
        table.ReleaseHandle(Id(2), effects);
        Assert.Null(table.Inspect(Id(9)));
    }

    private static void OwnedReadyFrom(ReferenceTable table, ObjectId id, NestedRef nested)
    {
        table.AddOwned(id, handles: 1, pendingTasks: 0, callSite: null);
        table.ResolveOwned(Stored(id, nested), granted: true, new RefEffects());
    }

    [Fact]
    public async Task APendingObjectFreedEarlyIsDroppedWhenItsValueArrives()
    {
        var table = new ReferenceTable(Self);
        var entry = table.AddOwned(Id(1), handles: 1, pendingTasks: 0, callSite: null);
        var effects = new RefEffects();
        table.ReleaseHandle(Id(1), effects);
        Assert.Null(table.TryGetValue(Id(1), out _, out _));

        var arrival = new RefEffects();
        table.ResolveOwned(Stored(Id(1)), granted: true, arrival);
        Assert.False(arrival.IsEmpty);
        Assert.Equal(ValueLocation.Failed, (await entry.Value!.Task).Location);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void ArgumentRefsStillHeldAreReportedOnceAndThenCountAsRegistered()
    {
        var table = new ReferenceTable(Worker);
        ArgumentRefs.Begin();
        table.AddHandle(Id(1), Self);
        table.AddHandle(Id(2), Self);
        var received = ArgumentRefs.End();
        var effects = new RefEffects();
        table.ReleaseHandle(Id(2), effects);
        Assert.True(effects.IsEmpty, "an unregistered borrower has nothing to tell the owner");

        var report = table.TakeUnregistered(received);
        Assert.Equal([new NestedRef(Id(1), Self)], report!);
        Assert.Null(table.TakeUnregistered(received));
        table.ReleaseHandle(Id(1), effects);
        Assert.False(effects.IsEmpty);
    }

    [Fact]
    public void AnExitedBorrowerNoLongerHoldsAnything()
    {
        var table = new ReferenceTable(Self);
        OwnedReady(table, Id(1));
        table.AddBorrower(Id(1), Worker);
        var effects = new RefEffects();
        table.ReleaseHandle(Id(1), effects);
        table.ForgetBorrower(Worker, effects);
        Assert.Null(table.Inspect(Id(1)));
    }
}
