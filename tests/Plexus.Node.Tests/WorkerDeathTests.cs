using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>What a worker's death costs the tasks it held: only those it had started are charged a retry.</summary>
public sealed class WorkerDeathTests : IDisposable
{
    private const string Death = "worker process 1 (pid 42) was killed by SIGKILL (exit code 137)";

    private readonly StoreHarness _harness = new();
    private readonly TaskDispatcher _dispatcher;
    private readonly StoreHarness.RecordingLink _owner = new(0);
    private readonly StoreHarness.RecordingLink _dying = new(1);
    private readonly StoreHarness.RecordingLink _replacement = new(2);

    public WorkerDeathTests()
    {
        _harness.Links[0] = _owner;
        _harness.Links[1] = _dying;
        _harness.Links[2] = _replacement;
        _dispatcher = _harness.Dispatcher();
        _dispatcher.AddWorker(1, new WorkerState(_dying));
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void TasksQueuedOnADeadWorkerAreRequeuedFreeInTheirOrderAndOnlyTheStartedOneIsCharged()
    {
        var running = Spec();
        var queued = new[] { Spec(), Spec(), Spec() };
        Dispatch(running, queued[0], queued[1], queued[2]);
        _dispatcher.SetStarted(1, running.Id);

        var retried = new List<TaskSpec>();
        WorkerDies(retried.Add);

        var executed = _replacement.Executed.ToList();
        Assert.Equal([running.Id, .. queued.Select(q => q.Id)], executed.Select(e => e.Id));
        Assert.Equal(1, executed[0].Attempt);
        Assert.All(executed.Skip(1), spec => Assert.Equal(0, spec.Attempt));
        Assert.Equal(running.Id, Assert.Single(retried).Id);
        Assert.Empty(_owner.Received);
    }

    [Fact]
    public void ATaskWhoseStartWasNotReportedIsRequeuedFreeOnceAndMustConfirmItsStart()
    {
        var crasher = Spec() with { MaxRetries = 0 };
        Dispatch(crasher);

        // Its start report had not left when it took the worker down: it cannot be told from a bystander.
        WorkerDies(_ => { });
        var again = Assert.Single(_replacement.Executed);
        Assert.True(again.ConfirmStart);
        Assert.Equal(0, again.Attempt);

        // Run again, it reports its start before running, so the next death is charged to it.
        _dispatcher.SetStarted(2, crasher.Id);
        var outbox = _harness.Outbox();
        _dispatcher.RemoveWorker(2, Death, outbox, _ => { });
        outbox.Flush();

        var failed = Assert.Single(_owner.Received.OfType<TaskFinished>());
        Assert.Equal(ErrorKind.WorkerCrashed, failed.Error!.Kind);
        Assert.Contains("'T.M'", failed.Error.Message, StringComparison.Ordinal);
        Assert.Contains(Death, failed.Error.Message, StringComparison.Ordinal);
        Assert.Contains("attempt 1 of 1", failed.Error.Message, StringComparison.Ordinal);
    }

    private void WorkerDies(Action<TaskSpec> onRetry)
    {
        var outbox = _harness.Outbox();
        Assert.NotNull(_dispatcher.RemoveWorker(1, Death, outbox, onRetry));
        _dispatcher.AddWorker(2, new WorkerState(_replacement));
        _dispatcher.Dispatch(outbox);
        outbox.Flush();
    }

    private void Dispatch(params TaskSpec[] specs) => _harness.Dispatch(_dispatcher, specs);

    private static TaskSpec Spec() => StoreHarness.Task() with { MaxRetries = 3 };
}
