using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;
using static Plexus.Control.Tests.State.TaskEvents;

namespace Plexus.Control.Tests.State;

public sealed class PendingArgsStepsTests
{
    private const ulong Owner = 0x1111;
    private const ulong Runner = 0x2222;

    [Fact]
    public void ATaskPendingItsArgumentsMovesOnOnceSubmitted()
    {
        var table = new TaskTable(finishedKept: 100);
        var waiting = Event(Task(JobA, 5), Proto.TaskEventKind.EventPendingArgs, 100, "g");
        waiting.Reason = "waits for 1 argument to be ready: ab";

        table.Report(Owner, [waiting], 0);
        var pending = Assert.Single(table.List(new Proto.ListTasksRequest { Status = Proto.TaskStatus.PendingArgs }).Tasks);
        table.Report(Owner, [Event(Task(JobA, 5), Proto.TaskEventKind.EventSubmitted, 200, "g")], 0);

        Assert.Equal("waits for 1 argument to be ready: ab", pending.Reason);
        Assert.Equal(Proto.TaskStatus.Submitted, Assert.Single(table.List(new Proto.ListTasksRequest()).Tasks).Status);
    }

    [Fact]
    public void ANoteOfPendingArgumentsHeardAfterTheTaskRanDoesNotMoveItBack()
    {
        var table = new TaskTable(finishedKept: 100);
        // The owner's clock is ahead of the executing node's: its note reads later than the start.
        table.Report(Runner, [Event(Task(JobA, 6), Proto.TaskEventKind.EventStarted, 100, "g")], 0);

        table.Report(Owner, [Event(Task(JobA, 6), Proto.TaskEventKind.EventPendingArgs, 110, "g")], 0);

        Assert.Equal(Proto.TaskStatus.Running, Assert.Single(table.List(new Proto.ListTasksRequest()).Tasks).Status);
    }
}
