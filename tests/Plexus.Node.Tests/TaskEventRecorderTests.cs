using Microsoft.Extensions.Time.Testing;
using Plexus.Protocol.Messages;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Node.Tests;

/// <summary>The node's record of each task's steps: a bounded ring, and what a report makes of it.</summary>
public sealed class TaskEventRecorderTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void AFullRingDropsTheOldestEventsAndCountsThem()
    {
        var recorder = new TaskEventRecorder(capacity: 3, _time);
        var tasks = Enumerable.Range(0, 5).Select(_ => StoreHarness.Task()).ToArray();
        foreach (var task in tasks)
        {
            recorder.Record(TaskEventKind.Submitted, task);
        }

        var drained = new List<TaskEvent>();
        Assert.Equal(3, recorder.Drain(drained));
        Assert.Equal(tasks[2..].Select(t => t.Id), drained.Select(e => e.Task));
        Assert.Equal(2, recorder.Dropped);

        // Drained: empty until more is recorded, and the count of drops stays.
        Assert.Equal(0, recorder.Drain(drained));
        recorder.Record(TaskEventKind.Queued, tasks[0]);
        drained.Clear();
        Assert.Equal(1, recorder.Drain(drained));
        Assert.Equal(2, recorder.Dropped);
    }

    [Fact]
    public void RecordingOffRecordsNothing()
    {
        var recorder = TaskEventRecorder.Disabled;
        recorder.Record(TaskEventKind.Submitted, StoreHarness.Task());
        var drained = new List<TaskEvent>();
        Assert.Equal(0, recorder.Drain(drained));
        Assert.Equal(0, recorder.Dropped);
    }

    [Fact]
    public void TheDispatcherRecordsQueuedDispatchedStartedAndAWaitForResourcesOnce()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        var dispatcher = _harness.Dispatcher(offered: new Dictionary<string, double> { ["GPU"] = 1 }, events: recorder);
        var worker = new StoreHarness.RecordingLink(1);
        _harness.Links[1] = worker;
        dispatcher.AddWorker(1, new WorkerState(worker));
        var holder = StoreHarness.Task() with { Resources = new() { ["GPU"] = 1 } };
        var waiter = StoreHarness.Task() with { Resources = new() { ["GPU"] = 1 } };

        _harness.Dispatch(dispatcher, holder, waiter);
        dispatcher.SetStarted(1, holder.Id);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        _harness.Dispatch(dispatcher);

        var events = new List<TaskEvent>();
        recorder.Drain(events);
        Assert.Equal(
            [TaskEventKind.Queued, TaskEventKind.Dispatched, TaskEventKind.Started],
            events.Where(e => e.Task == holder.Id).Select(e => e.Kind));
        Assert.Equal(1, events.Single(e => e.Task == holder.Id && e.Kind == TaskEventKind.Started).Worker);
        Assert.Equal([TaskEventKind.Queued, TaskEventKind.WaitingForResources], events.Where(e => e.Task == waiter.Id).Select(e => e.Kind));
    }

    [Fact]
    public void AReportNamesEachTaskSaysWhyItWaitsAndGivesAnErrorsFirstLine()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        var infeasible = StoreHarness.Task() with { Cpus = 64, Name = "huge" };
        var failed = StoreHarness.Task();
        recorder.Record(TaskEventKind.Infeasible, infeasible);
        _time.Advance(TimeSpan.FromMilliseconds(1.5));
        recorder.Record(TaskEventKind.Failed, failed, worker: 3, error: ErrorInfo.Of(ErrorKind.WorkerCrashed, "first line\nsecond line"));
        var events = new List<TaskEvent>();
        recorder.Drain(events);

        var request = TaskEventReports.ToRequest(0xABCD, new TaskEventBatch(events, 7, new Dictionary<int, int> { [3] = 4242 }, [], recorder));

        Assert.Equal(7, request.DroppedEvents);
        var waits = request.Events[0];
        Assert.Equal(Proto.TaskEventKind.EventInfeasible, waits.Kind);
        Assert.Equal("huge", waits.Name);
        Assert.Contains("64 CPUs", waits.Reason, StringComparison.Ordinal);
        var fails = request.Events[1];
        Assert.Equal("T.M", fails.Name);
        Assert.Equal("WorkerCrashed", fails.ErrorType);
        Assert.Equal("first line", fails.ErrorMessage);
        Assert.Equal(4242, fails.WorkerPid);
        Assert.Equal(1500, fails.UnixMicros - waits.UnixMicros);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, fails.UnixMicros - 500);
    }
}
