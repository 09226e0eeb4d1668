using System.Runtime.CompilerServices;
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

        var drained = new TaskEvent[3];
        Assert.Equal(3, recorder.Drain(drained));
        Assert.Equal(tasks[2..].Select(t => t.Id), drained.Select(e => e.Task));
        Assert.Equal(2, recorder.Dropped);

        // Drained: empty until more is recorded, and the count of drops stays.
        Assert.Equal(0, recorder.Drain(drained));
        recorder.Record(TaskEventKind.Queued, tasks[0]);
        Assert.Equal(1, recorder.Drain(drained));
        Assert.Equal(2, recorder.Dropped);
    }

    [Fact]
    public void RecordingOffRecordsNothing()
    {
        var recorder = TaskEventRecorder.Disabled;
        recorder.Record(TaskEventKind.Submitted, StoreHarness.Task());
        Assert.Equal(0, recorder.Count);
        Assert.Equal(0, recorder.Drain([]));
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

        var events = new TaskEvent[recorder.Count];
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
        using var batch = new TaskEventBatch(TaskEventBatch.Drain(recorder), 7, new Dictionary<int, int> { [3] = 4242 }, [], recorder);

        var request = TaskEventReports.ToRequests(0xABCD, batch).Single();

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

    [Fact]
    public void TheStepsEveryTaskAndCallTakeKeepNeitherItsSpecNorTheCallAlive()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        var (spec, call) = RecordEveryCommonStep(recorder);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Held by the ring until the next report (about a second), they would outlive the runtime's young collections.
        Assert.Equal(9, recorder.Count);
        Assert.False(spec.IsAlive, "the ring keeps a task's spec alive");
        Assert.False(call.IsAlive, "the ring keeps an actor call alive");
    }

    [Fact]
    public void AReportNamesAnActorCallByItsMethodAndSaysWhichActorItCalls()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        var call = Call();
        recorder.Record(TaskEventKind.Queued, call);
        recorder.Record(TaskEventKind.Dispatched, call, worker: 3);
        recorder.RecordEnd(call.Id, worker: 3, error: null);
        using var batch = new TaskEventBatch(TaskEventBatch.Drain(recorder), 0, new Dictionary<int, int>(), [], recorder);

        var request = TaskEventReports.ToRequests(0xABCD, batch).Single();

        // Its three steps in one report are one event: queued and dispatched folded into its end.
        var e = request.Events.Single();
        Assert.Equal("Counter.Add", e.Name);
        Assert.Equal(TaskEventReports.TaskBytes(call.Actor), e.ActorId);
        Assert.Equal(Proto.TaskEventKind.EventFinished, e.Kind);
        Assert.Equal(3, e.Worker);
        Assert.NotEqual(0, e.QueuedUnixMicros);
        Assert.NotEqual(0, e.DispatchedUnixMicros);
        // The queued step's reason went with it: the steps after it replace it.
        Assert.Equal(string.Empty, e.Reason);
    }

    [Fact]
    public void AnActorCallStillQueuedSaysWhatItWaitsFor()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        var call = Call();
        recorder.Record(TaskEventKind.Queued, call);
        using var batch = new TaskEventBatch(TaskEventBatch.Drain(recorder), 0, new Dictionary<int, int>(), [], recorder);

        var e = TaskEventReports.ToRequests(0xABCD, batch).Single().Events.Single();

        Assert.Equal(Proto.TaskEventKind.EventQueued, e.Kind);
        Assert.Equal("waits for its actor to be placed on a worker", e.Reason);
    }

    [Fact]
    public void ABatchOfManyEventsIsReportedInPartsThatEachCarryTheWorkersAndTheLastTheStore()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        var task = StoreHarness.Task();
        foreach (var kind in new[] { TaskEventKind.Submitted, TaskEventKind.Queued, TaskEventKind.Dispatched, TaskEventKind.Started, TaskEventKind.Finished })
        {
            recorder.Record(kind, task, worker: 3);
        }

        var workers = new[] { new WorkerSnapshot(3, 4242, null, [task.Id], 0, Dedicated: false) };
        using var batch = new TaskEventBatch(TaskEventBatch.Drain(recorder), 7, new Dictionary<int, int> { [3] = 4242 }, workers, recorder)
        {
            Store = StoreSummary.Take([], capacity: 1000, used: 0, maxObjects: 10, _ => 0),
        };

        var requests = TaskEventReports.ToRequests(0xABCD, batch, eventsPerRequest: 2).ToList();

        // Two steps a part, each part's folded into one event: the steps of one part fold, never across parts.
        Assert.Equal([1, 1, 1], requests.Select(r => r.Events.Count));
        Assert.Equal(
            [Proto.TaskEventKind.EventQueued, Proto.TaskEventKind.EventStarted, Proto.TaskEventKind.EventFinished],
            requests.Select(r => r.Events.Single().Kind));
        Assert.NotEqual(0, requests[0].Events[0].SubmittedUnixMicros);
        Assert.NotEqual(0, requests[1].Events[0].DispatchedUnixMicros);
        Assert.All(requests, r => Assert.Equal(4242, r.Workers.Single().Pid));
        Assert.All(requests, r => Assert.Equal(7, r.DroppedEvents));
        Assert.Equal([false, false, true], requests.Select(r => r.Store is not null));
        // Each part names the task with its first event, so a part applied alone still names it.
        Assert.Equal(["T.M", "T.M", "T.M"], requests.Select(r => r.Events[0].Name));
    }

    [Fact]
    public void ATasksStepsInOneReportAreOneEventWithEachStepsTime()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        var task = StoreHarness.Task();
        var times = new List<long>();
        foreach (var (kind, worker) in new[] { (TaskEventKind.Submitted, 0), (TaskEventKind.Queued, 0), (TaskEventKind.Dispatched, 3), (TaskEventKind.Started, 3), (TaskEventKind.Finished, 3) })
        {
            recorder.Record(kind, task, worker);
            times.Add(_time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
            // Another task's step between two of this one's.
            recorder.Record(TaskEventKind.Submitted, StoreHarness.Task());
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        using var batch = new TaskEventBatch(TaskEventBatch.Drain(recorder), 0, new Dictionary<int, int> { [3] = 4242 }, [], recorder);
        var events = TaskEventReports.ToRequests(0xABCD, batch).Single().Events;

        var mine = events.Single(e => e.TaskId == TaskEventReports.TaskBytes(task.Id));
        Assert.Equal(Proto.TaskEventKind.EventFinished, mine.Kind);
        Assert.Equal(times, [mine.SubmittedUnixMicros, mine.QueuedUnixMicros, mine.DispatchedUnixMicros, mine.StartedUnixMicros, mine.UnixMicros]);
        Assert.Equal((3, 4242, "T.M"), (mine.Worker, mine.WorkerPid, mine.Name));
        // The other tasks' steps stay their own, each named.
        Assert.Equal(6, events.Count);
        Assert.All(events, e => Assert.Equal("T.M", e.Name));
    }

    [Fact]
    public void AStepThatSaysWhyAnotherAttemptAnotherWorkerOrAStepOutOfOrderStartsANewEvent()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        var waiting = StoreHarness.Task() with { Resources = new() { ["GPU"] = 1 } };
        // Queued folds into the wait for resources, which says why and so takes nothing after it.
        recorder.Record(TaskEventKind.Queued, waiting);
        recorder.Record(TaskEventKind.WaitingForResources, waiting);
        recorder.Record(TaskEventKind.Dispatched, waiting, worker: 3);
        var retried = StoreHarness.Task();
        recorder.Record(TaskEventKind.Submitted, retried);
        recorder.Record(TaskEventKind.Queued, retried with { Attempt = 1 });
        var moved = StoreHarness.Task();
        recorder.Record(TaskEventKind.Dispatched, moved, worker: 3);
        recorder.Record(TaskEventKind.Started, moved, worker: 4);
        var requeued = StoreHarness.Task();
        recorder.Record(TaskEventKind.Dispatched, requeued, worker: 3);
        recorder.Record(TaskEventKind.Queued, requeued);
        recorder.Record(TaskEventKind.Started, requeued, worker: 3);
        using var batch = new TaskEventBatch(TaskEventBatch.Drain(recorder), 0, new Dictionary<int, int>(), [], recorder);

        var events = TaskEventReports.ToRequests(0xABCD, batch).Single().Events;

        Proto.TaskEventKind[] KindsOf(TaskSpec spec) => [.. events.Where(e => e.TaskId == TaskEventReports.TaskBytes(spec.Id)).Select(e => e.Kind)];
        Assert.Equal([Proto.TaskEventKind.EventWaitingForResources, Proto.TaskEventKind.EventDispatched], KindsOf(waiting));
        Assert.Contains("GPU", events[0].Reason, StringComparison.Ordinal);
        Assert.NotEqual(0, events[0].QueuedUnixMicros);
        Assert.Equal([Proto.TaskEventKind.EventSubmitted, Proto.TaskEventKind.EventQueued], KindsOf(retried));
        Assert.Equal([Proto.TaskEventKind.EventDispatched, Proto.TaskEventKind.EventStarted], KindsOf(moved));
        // Dispatched, queued again, started: the dispatch folds into the queued step, which cannot fold in turn (the
        // service applies folded steps in their order, so it would come before the dispatch).
        Assert.Equal([Proto.TaskEventKind.EventQueued, Proto.TaskEventKind.EventStarted], KindsOf(requeued));
    }

    [Fact]
    public void TasksAndCallsReadFromMessagesShareTheFirstDescriptorAndNameOfTheirFunction()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        // As a worker's messages are read: equal descriptors and names, each a new object with strings of its own.
        var tasks = Enumerable.Range(0, 3).Select(_ => StoreHarness.Task() with { Function = Copy(StoreHarness.Task().Function) }).ToArray();
        var named = Enumerable.Range(0, 2).Select(_ => StoreHarness.Task() with { Name = new string("step".ToCharArray()) }).ToArray();
        var calls = Enumerable.Range(0, 2).Select(_ => Call() with { Method = Copy(Call().Method) }).ToArray();
        Array.ForEach(tasks, t => recorder.Record(TaskEventKind.Queued, t));
        Array.ForEach(named, t => recorder.Record(TaskEventKind.Queued, t));
        Array.ForEach(calls, c => recorder.Record(TaskEventKind.Queued, c));

        var events = new TaskEvent[recorder.Count];
        recorder.Drain(events);

        Assert.All(events[..3], e => Assert.Same(tasks[0].Function, e.Subject));
        Assert.All(events[3..5], e => Assert.Same(named[0].Name, e.Subject));
        Assert.All(events[5..], e => Assert.Same(calls[0].Method, e.Subject));
    }

    [Fact]
    public void BeyondItsBoundANodeSharesNoMoreSubjects()
    {
        var subjects = new EventSubjects();
        var names = Enumerable.Range(0, EventSubjects.MaxShared).Select(i => $"name {i}").ToArray();
        Array.ForEach(names, name => subjects.Share(name));

        // Those within the bound stay shared; one more is not.
        Assert.Same(names[0], subjects.Share(new string("name 0".ToCharArray())));
        var beyond = new string("one more".ToCharArray());
        Assert.Same(beyond, subjects.Share(beyond));
        Assert.NotSame(beyond, subjects.Share(new string("one more".ToCharArray())));
    }

    [Fact]
    public void ADrainFillsTheArrayTheLastReportedBatchGaveBackCleared()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        recorder.Record(TaskEventKind.Queued, StoreHarness.Task());
        recorder.Record(TaskEventKind.Queued, StoreHarness.Task());
        var first = new TaskEventBatch(TaskEventBatch.Drain(recorder), 0, new Dictionary<int, int>(), [], recorder);
        var array = first.Events.Array!;

        // Given back, it is cleared of what the events named and filled by the next drain.
        first.Dispose();
        Assert.All(array, e => Assert.Null(e.Subject));
        recorder.Record(TaskEventKind.Started, StoreHarness.Task());
        using var second = new TaskEventBatch(TaskEventBatch.Drain(recorder), 0, new Dictionary<int, int>(), [], recorder);
        Assert.Same(array, second.Events.Array);
        Assert.Equal([TaskEventKind.Started], second.Events.Select(e => e.Kind));

        // While a batch holds it, a drain gets an array of its own.
        recorder.Record(TaskEventKind.Finished, StoreHarness.Task());
        using var third = new TaskEventBatch(TaskEventBatch.Drain(recorder), 0, new Dictionary<int, int>(), [], recorder);
        Assert.NotSame(array, third.Events.Array);
    }

    private static FunctionDescriptor Copy(FunctionDescriptor d) =>
        new(new string(d.Assembly.ToCharArray()), new string(d.Type.ToCharArray()), new string(d.Method.ToCharArray()), d.MetadataToken);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Spec, WeakReference Call) RecordEveryCommonStep(TaskEventRecorder recorder)
    {
        var spec = StoreHarness.Task(ObjectValue.InlineValue(TestNode.NewId(), ValueFormat.RawArray, new byte[1000]));
        foreach (var kind in new[] { TaskEventKind.Submitted, TaskEventKind.Forwarded, TaskEventKind.Received, TaskEventKind.Queued, TaskEventKind.Dispatched, TaskEventKind.Started, TaskEventKind.Finished })
        {
            recorder.Record(kind, spec, worker: 1);
        }

        var call = Call();
        recorder.Record(TaskEventKind.Dispatched, call, worker: 1);
        recorder.RecordEnd(call.Id, worker: 1, error: null);
        return (new WeakReference(spec), new WeakReference(call));
    }

    private static ActorCall Call() => new()
    {
        Id = TestNode.NewId().Task,
        Actor = TestNode.NewId().Task,
        Caller = new ProcessAddress(1, 0),
        Scope = TestNode.NewId().Task,
        Sequence = 1,
        Method = new FunctionDescriptor("Shop", "Shop.Counter", "Add", 1),
        Args = [],
    };
}
