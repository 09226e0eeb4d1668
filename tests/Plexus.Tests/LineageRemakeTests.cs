using Plexus.Core.References;
using Plexus.Protocol.Messages;

namespace Plexus.Tests;

/// <summary>
/// The owner's decision to run a task again when its stored returns are lost, in the reference
/// table alone: every lost return of one task waits for a single run again, however many of them
/// are found lost and in whatever order, and a later loss after that run has ended starts another.
/// </summary>
public sealed class LineageRemakeTests
{
    private static readonly JobId Job = new(1, 2);
    private static readonly ProcessAddress Self = new(7, 0);
    private static readonly FunctionDescriptor Function = new("asm", "Type", "Method", 1);
    private const ulong DeadNode = 7;
    private const ulong LiveNode = 8;

    private static ObjectValue Stored(ObjectId id, ulong node) =>
        new() { Id = id, Location = ValueLocation.Stored, Format = ValueFormat.MessagePack, Offset = 64, Size = 200_000, Node = node };

    private static bool IsDead(ulong node) => node == DeadNode;

    // A task with two stored returns (on DeadNode unless said), finished, its lineage kept.
    private static (ReferenceTable Table, TaskId Task, ObjectId[] Returns) FinishedTaskWithTwoStoredReturns(ulong secondOn = DeadNode)
    {
        var table = new ReferenceTable(Self);
        var task = TaskId.Root(Job).Child(1);
        ObjectId[] returns = [ObjectId.ForReturn(task, 0), ObjectId.ForReturn(task, 1)];
        var effects = new RefEffects();
        foreach (var id in returns)
        {
            table.AddOwned(id, handles: 1, pendingTasks: 0, callSite: null);
        }

        ObjectValue[] values = [Stored(returns[0], DeadNode), Stored(returns[1], secondOn)];
        foreach (var value in values)
        {
            table.ResolveOwned(value, granted: true, effects);
        }

        var spec = new TaskSpec { Id = task, Owner = Self, Function = Function, Args = [], ReturnCount = 2, MaxRetries = 5 };
        Assert.True(table.KeepLineage(spec, [], values, effects));
        return (table, task, returns);
    }

    [Fact]
    public async Task TwoReturnsLostAndSearchedForInVainStartOneRunAgainNotTwo()
    {
        var (table, _, returns) = FinishedTaskWithTwoStoredReturns();
        // The node died: both are searched for as copies first, and none is found.
        Assert.Equal(2, table.BeginCopySearch(returns, DeadNode, IsDead).Count);

        var first = table.BeginRecovery(returns[0], DeadNode, IsDead, copiesSearched: true);
        var second = table.BeginRecovery(returns[1], DeadNode, IsDead, copiesSearched: true);

        Assert.NotNull(first?.Spec);
        Assert.Null(second?.Spec);
        Assert.False(first!.Value.Value.IsCompleted);
        Assert.False(second!.Value.Value.IsCompleted);

        // The one run again makes both.
        var effects = new RefEffects();
        table.ResolveOwned(Stored(returns[0], LiveNode), granted: true, effects);
        table.ResolveOwned(Stored(returns[1], LiveNode), granted: true, effects);
        Assert.Equal(LiveNode, (await first.Value.Value).Node);
        Assert.Equal(LiveNode, (await second.Value.Value).Node);
    }

    [Fact]
    public async Task AReturnLostWhileItsTaskRunsAgainWaitsForThatRun()
    {
        // The second return lives on LiveNode, so the first run again does not count it lost.
        var (table, _, returns) = FinishedTaskWithTwoStoredReturns(secondOn: LiveNode);
        var first = table.BeginRecovery(returns[0], DeadNode, IsDead);
        Assert.NotNull(first?.Spec);

        // LiveNode dies while the task runs again: its return waits for that run, which makes it too.
        var sibling = table.BeginRecovery(returns[1], LiveNode, node => node is DeadNode or LiveNode);
        Assert.Null(sibling?.Spec);
        Assert.False(sibling!.Value.Value.IsCompleted);
        table.ResolveOwned(Stored(returns[1], 9), granted: true, new RefEffects());
        Assert.Equal(9UL, (await sibling.Value.Value).Node);
    }

    [Fact]
    public void ALossAfterTheRunAgainEndedStartsAnother()
    {
        var (table, _, returns) = FinishedTaskWithTwoStoredReturns();
        var first = table.BeginRecovery(returns[0], DeadNode, IsDead);
        var effects = new RefEffects();
        const ulong NextNode = 9;
        table.ResolveOwned(Stored(returns[0], NextNode), granted: true, effects);
        table.ResolveOwned(Stored(returns[1], NextNode), granted: true, effects);
        table.EndRemake(first!.Value.Remake!);

        // The node that holds the new values dies too.
        var again = table.BeginRecovery(returns[1], NextNode, node => node is DeadNode or NextNode);

        Assert.NotNull(again?.Spec);
        Assert.True(again!.Value.Spec!.Attempt > first.Value.Spec!.Attempt);
    }
}
