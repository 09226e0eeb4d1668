using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>A task with a spilled argument waits aside, others go ahead, and it runs with the argument at its new offset.</summary>
public sealed class TaskArgumentRestoreTests : IDisposable
{
    private readonly StoreHarness _harness = new();
    private readonly TaskDispatcher _dispatcher;
    private readonly StoreHarness.RecordingLink _owner = new(0);
    private readonly StoreHarness.RecordingLink _worker = new(1);

    public TaskArgumentRestoreTests()
    {
        _harness.Links[0] = _owner;
        _harness.Links[1] = _worker;
        _dispatcher = _harness.Dispatcher();
        _dispatcher.AddWorker(1, new WorkerState(_worker));
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void TaskWithASpilledArgumentWaitsWhileOthersRunAndThenSeesItsNewOffset()
    {
        var spilled = _harness.Sealed();
        var inMemory = _harness.Sealed();
        var spilledArg = _harness.StoredValue(spilled);
        _harness.FinishSpill(_harness.PlanSpillOf(spilled));
        // Something else takes the freed range, so the restore must land elsewhere.
        _harness.Sealed();

        var waiting = Spec(spilledArg);
        var ready = Spec(_harness.StoredValue(inMemory));
        Dispatch(waiting, ready);

        Assert.Equal(ready.Id, Assert.Single(_worker.Executed).Id);
        Assert.Equal(StoredObjectState.Restoring, Assert.Single(_harness.Restores).State);
        _harness.RunRestores();

        var executed = _worker.Executed.Last();
        Assert.Equal(waiting.Id, executed.Id);
        Assert.NotEqual(spilledArg.Offset, executed.Args[0].Offset);
        Assert.True(_harness.HoldsPattern(spilled, executed.Args[0].Offset, StoreHarness.Size));
        Assert.Equal(1, _harness.Store.Find(spilled)!.Pins);
    }

    [Fact]
    public void TaskWhoseArgumentCannotBeReadBackFailsWithTheReason()
    {
        var spilled = _harness.Sealed();
        var arg = _harness.StoredValue(spilled);
        _harness.FinishSpill(_harness.PlanSpillOf(spilled));

        Dispatch(Spec(arg));
        var outbox = _harness.Outbox();
        _harness.Objects.CompleteRestore(_harness.Restores.Dequeue(), "disk on fire", outbox);
        outbox.Flush();

        var failed = Assert.Single(_owner.Received.OfType<TaskFinished>());
        Assert.Equal(ErrorKind.ObjectLost, failed.Error!.Kind);
        Assert.Contains("disk on fire", failed.Error.Message, StringComparison.Ordinal);
        Assert.Empty(_worker.Executed);
        Assert.Equal(StoredObjectState.Spilled, _harness.Store.Find(spilled)!.State);
    }

    [Fact]
    public void TaskWhoseArgumentIsOnANodeWithNoLinkIsDroppedAndItsOwnerToldWhichArgument()
    {
        var held = _harness.Sealed();
        var local = _harness.StoredValue(held);
        var remote = ObjectValue.StoredValue(TestNode.NewId(), ValueFormat.RawArray, 64, StoreHarness.Size, node: 99);
        _dispatcher.PullArgument = (id, node, whenDone, outbox) =>
            whenDone(outbox, ErrorInfo.Of(ErrorKind.ObjectUnreachable, $"no link to node {node}"));

        var spec = StoreHarness.Task(local, remote) with { Attempt = 1 };
        Dispatch(spec);

        var lost = Assert.Single(_owner.Received.OfType<ArgumentsLost>());
        Assert.Equal(spec.Id, lost.Task);
        Assert.Equal([remote.Id], lost.Objects);
        Assert.Equal(1, lost.Attempt);
        Assert.Empty(_owner.Received.OfType<TaskFinished>());
        Assert.Empty(_worker.Executed);
        Assert.Equal(0, _harness.Store.Find(held)!.Pins);
    }

    [Fact]
    public void TaskWaitingForAPullIsDroppedWhenTheLinkToTheHolderIsLost()
    {
        var remote = ObjectValue.StoredValue(TestNode.NewId(), ValueFormat.RawArray, 64, StoreHarness.Size, node: 99);
        Action<Outbox, ErrorInfo?>? pulled = null;
        _dispatcher.PullArgument = (id, node, whenDone, outbox) => pulled = whenDone;
        var spec = StoreHarness.Task(remote);
        Dispatch(spec);
        Assert.NotNull(pulled);

        var outbox = _harness.Outbox();
        pulled(outbox, ErrorInfo.Of(ErrorKind.ObjectUnreachable, "the link to it was lost"));
        outbox.Flush();

        Assert.Equal(spec.Id, Assert.Single(_owner.Received.OfType<ArgumentsLost>()).Task);
        Assert.Empty(_owner.Received.OfType<TaskFinished>());
        Assert.Empty(_worker.Executed);
    }

    [Fact]
    public void TaskWhoseArgumentPullIsRefusedStillFails()
    {
        var remote = ObjectValue.StoredValue(TestNode.NewId(), ValueFormat.RawArray, 64, StoreHarness.Size, node: 99);
        _dispatcher.PullArgument = (id, node, whenDone, outbox) => whenDone(outbox, ErrorInfo.Of(ErrorKind.ObjectLost, "freed"));
        Dispatch(StoreHarness.Task(remote));

        Assert.Equal(ErrorKind.ObjectLost, Assert.Single(_owner.Received.OfType<TaskFinished>()).Error!.Kind);
        Assert.Empty(_owner.Received.OfType<ArgumentsLost>());
    }

    private void Dispatch(params TaskSpec[] specs) => _harness.Dispatch(_dispatcher, specs);

    private static TaskSpec Spec(ObjectValue arg) => StoreHarness.Task(arg);
}
