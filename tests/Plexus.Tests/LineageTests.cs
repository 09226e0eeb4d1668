using Plexus.Core.References;
using Plexus.Protocol.Messages;

namespace Plexus.Tests;

/// <summary>
/// Keeping lineage in the reference table alone: a finished task with a stored return keeps its
/// spec and what it would need to run again, within a budget; a task with inline returns keeps nothing.
/// </summary>
public sealed class LineageTests
{
    private static readonly JobId Job = new(1, 2);
    private static readonly ProcessAddress Self = new(7, 0);
    private static readonly ProcessAddress OtherOwner = new(9, 3);
    private static readonly FunctionDescriptor Function = new("asm", "Type", "Method", 1);

    private static ObjectValue Stored(ObjectId id, long size = 1000) =>
        new() { Id = id, Location = ValueLocation.Stored, Format = ValueFormat.MessagePack, Offset = 64, Size = size, Node = 7 };

    private static ObjectValue Inline(ObjectId id) =>
        ObjectValue.InlineValue(id, ValueFormat.MessagePack, [1, 2, 3]);

    private static TaskId Task(uint n) => TaskId.Root(Job).Child(n);

    private static ObjectId Put(uint n) => ObjectId.ForPut(TaskId.Root(Job), n);

    private static TaskSpec Spec(TaskId task, params ObjectValue[] args) =>
        new() { Id = task, Owner = Self, Function = Function, Args = args, ReturnCount = 1 };

    // A put (or an earlier task's return) the program holds one handle to.
    private static ObjectValue OwnedReady(ReferenceTable table, ObjectId id)
    {
        table.AddOwned(id, handles: 1, pendingTasks: 0, callSite: null);
        var value = Stored(id);
        table.ResolveOwned(value, granted: false, new RefEffects());
        return value;
    }

    // Submits a task that takes `args` (refs), lets it finish with `result` as its return, and hands its spec to the table.
    private static (ObjectValue Result, bool Kept) RunTask(ReferenceTable table, TaskId task, Func<ObjectId, ObjectValue> result, RefEffects effects, params ObjectValue[] args)
    {
        NestedRef[] held = [.. args.Select(a => new NestedRef(a.Id, Self))];
        table.AddPendingTask(held);
        var id = ObjectId.ForReturn(task, 0);
        table.AddOwned(id, handles: 1, pendingTasks: 0, callSite: null);
        var value = result(id);
        table.ResolveOwned(value, granted: true, effects);
        var kept = table.KeepLineage(Spec(task, args), held, [value], effects);
        if (!kept)
        {
            table.ReleasePendingTask(held, effects);
        }

        return (value, kept);
    }

    [Fact]
    public void AStoredReturnKeepsItsTasksArgumentsWithoutFreeingThemOnTheWay()
    {
        var table = new ReferenceTable(Self);
        var first = RunTask(table, Task(1), id => Stored(id), new RefEffects()).Result;
        var effects = new RefEffects();
        var (_, kept) = RunTask(table, Task(2), id => Stored(id), effects, first);
        Assert.True(kept);
        Assert.True(effects.IsEmpty, "handing the argument from the task to its lineage must free nothing");
        Assert.Equal(1, table.InspectLineage(first.Id)!.Value.LineageRefs);
        Assert.Equal(0, table.Inspect(first.Id)!.Value.PendingTasks);
    }

    [Fact]
    public void AnArgumentThatCanBeMadeAgainGivesUpOnlyItsValueWhileLineageNeedsIt()
    {
        var table = new ReferenceTable(Self);
        var first = RunTask(table, Task(1), id => Stored(id), new RefEffects()).Result;
        RunTask(table, Task(2), id => Stored(id), new RefEffects(), first);

        var effects = new RefEffects();
        table.ReleaseHandle(first.Id, effects);
        Assert.False(effects.IsEmpty, "the store copy of an object only lineage needs is freed");
        var lineage = table.InspectLineage(first.Id)!.Value;
        Assert.True(lineage.ValueReleased);
        Assert.True(lineage.HasLineage, "the object keeps its own lineage, so it can be made again");
    }

    [Fact]
    public void APutArgumentKeepsItsValueWhileLineageNeedsIt()
    {
        var table = new ReferenceTable(Self);
        var put = OwnedReady(table, Put(1));
        RunTask(table, Task(2), id => Stored(id), new RefEffects(), put);

        var effects = new RefEffects();
        table.ReleaseHandle(put.Id, effects);
        Assert.True(effects.IsEmpty, "a put cannot be made again: its value stays while lineage needs it");
        Assert.False(table.InspectLineage(put.Id)!.Value.ValueReleased);
    }

    [Fact]
    public void ABorrowedArgumentKeepsItsRegistrationUntilTheLineageGoes()
    {
        var table = new ReferenceTable(Self);
        var borrowedId = ObjectId.ForReturn(TaskId.Root(new JobId(5, 5)).Child(1), 0);
        // The ref arrived in a task's arguments, and the owner registered this process as its borrower.
        ArgumentRefs.Begin();
        Assert.True(table.AddHandle(borrowedId, OtherOwner));
        Assert.NotNull(table.TakeUnregistered(ArgumentRefs.End()));
        var borrowed = Stored(borrowedId);
        table.AddPendingTask([new NestedRef(borrowedId, OtherOwner)]);
        var task = Task(2);
        var returnId = ObjectId.ForReturn(task, 0);
        table.AddOwned(returnId, handles: 1, pendingTasks: 0, callSite: null);
        var value = Stored(returnId);
        table.ResolveOwned(value, granted: true, new RefEffects());
        Assert.True(table.KeepLineage(Spec(task, borrowed), [new NestedRef(borrowedId, OtherOwner)], [value], new RefEffects()));

        var effects = new RefEffects();
        table.ReleaseHandle(borrowedId, effects);
        Assert.True(effects.IsEmpty, "the borrower stays registered while lineage needs the object");
        Assert.NotNull(table.Inspect(borrowedId));

        table.ReleaseHandle(returnId, effects);
        Assert.False(effects.IsEmpty, "the registration is released once no lineage needs the object");
        Assert.Null(table.Inspect(returnId));
        Assert.Null(table.Inspect(borrowedId));
        Assert.Equal((0L, 0), table.LineageUse);
    }

    [Fact]
    public void FreeingTheLastReturnDropsItsLineageAndReleasesWhatItHeldInTurn()
    {
        var table = new ReferenceTable(Self);
        var put = OwnedReady(table, Put(1));
        var first = RunTask(table, Task(1), id => Stored(id), new RefEffects(), put).Result;
        var second = RunTask(table, Task(2), id => Stored(id), new RefEffects(), first).Result;
        var effects = new RefEffects();
        table.ReleaseHandle(put.Id, effects);
        table.ReleaseHandle(first.Id, effects);
        Assert.NotNull(table.Inspect(put.Id));
        Assert.NotNull(table.Inspect(first.Id));
        Assert.Equal(2, table.LineageUse.Records);

        table.ReleaseHandle(second.Id, effects);
        Assert.Null(table.Inspect(second.Id));
        Assert.Null(table.Inspect(first.Id));
        Assert.Null(table.Inspect(put.Id));
        Assert.Equal((0L, 0), table.LineageUse);
    }

    [Fact]
    public void LineagePastTheBudgetEvictsTheOldestAndReleasesWhatItHeld()
    {
        var table = new ReferenceTable(Self) { MaxLineageBytes = 1500 };
        var put = OwnedReady(table, Put(1));
        var first = RunTask(table, Task(1), id => Stored(id), new RefEffects(), put).Result; // 256 + 1000 (the put's value is kept)
        var effects = new RefEffects();
        table.ReleaseHandle(put.Id, effects);
        Assert.NotNull(table.Inspect(put.Id));

        var second = RunTask(table, Task(2), id => Stored(id), effects, first).Result; // 256: takes the total past 1500
        Assert.True(table.InspectLineage(first.Id)!.Value.LineageEvicted, "the oldest record is evicted");
        Assert.False(table.InspectLineage(second.Id)!.Value.LineageEvicted, "the newest fits and is kept");
        Assert.Null(table.Inspect(put.Id));
        Assert.Equal((256L, 1), table.LineageUse);
    }

    [Fact]
    public void ATaskWithOnlyInlineReturnsKeepsNothing()
    {
        var table = new ReferenceTable(Self);
        var put = OwnedReady(table, Put(1));
        var (_, kept) = RunTask(table, Task(2), Inline, new RefEffects(), put);
        Assert.False(kept);
        Assert.Equal((0L, 0), table.LineageUse);

        var effects = new RefEffects();
        table.ReleaseHandle(put.Id, effects);
        Assert.False(effects.IsEmpty);
        Assert.Null(table.Inspect(put.Id));
    }
}
