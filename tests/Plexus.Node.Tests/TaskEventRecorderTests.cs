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

        Assert.Equal("Counter.Add", request.Events[0].Name);
        Assert.Equal("waits for its actor to be placed on a worker", request.Events[0].Reason);
        Assert.Equal(TaskEventReports.TaskBytes(call.Actor), request.Events[0].ActorId);
        Assert.Equal(TaskEventReports.TaskBytes(call.Actor), request.Events[1].ActorId);
        // The name goes with the task's first event of a report only; the end is known by id only.
        Assert.Equal(string.Empty, request.Events[1].Name);
        Assert.True(request.Events[2].ActorId.IsEmpty);
        Assert.Equal(Proto.TaskEventKind.EventFinished, request.Events[2].Kind);
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

        Assert.Equal([2, 2, 1], requests.Select(r => r.Events.Count));
        Assert.Equal(
            [Proto.TaskEventKind.EventSubmitted, Proto.TaskEventKind.EventQueued, Proto.TaskEventKind.EventDispatched, Proto.TaskEventKind.EventStarted, Proto.TaskEventKind.EventFinished],
            requests.SelectMany(r => r.Events).Select(e => e.Kind));
        Assert.All(requests, r => Assert.Equal(4242, r.Workers.Single().Pid));
        Assert.All(requests, r => Assert.Equal(7, r.DroppedEvents));
        Assert.Equal([false, false, true], requests.Select(r => r.Store is not null));
        // Each part names the task with its first event, so a part applied alone still names it.
        Assert.Equal(["T.M", "T.M", "T.M"], requests.Select(r => r.Events[0].Name));
    }

    [Fact]
    public void ConsecutiveStepsOfOneTaskShareOneIdMessageAndOthersHaveTheirOwn()
    {
        var recorder = new TaskEventRecorder(capacity: 100, _time);
        var (first, second) = (StoreHarness.Task(), StoreHarness.Task());
        recorder.Record(TaskEventKind.Submitted, first);
        recorder.Record(TaskEventKind.Queued, first);
        recorder.Record(TaskEventKind.Submitted, second);
        recorder.Record(TaskEventKind.Dispatched, first);
        using var batch = new TaskEventBatch(TaskEventBatch.Drain(recorder), 0, new Dictionary<int, int>(), [], recorder);

        var events = TaskEventReports.ToRequests(0xABCD, batch).Single().Events;

        Assert.Equal(
            [TaskEventReports.TaskBytes(first.Id), TaskEventReports.TaskBytes(first.Id), TaskEventReports.TaskBytes(second.Id), TaskEventReports.TaskBytes(first.Id)],
            events.Select(e => e.TaskId));
        // One message for the first two (no copy of the id per step); the task's later step, after another's, has a new one.
        Assert.Same(events[0].TaskId, events[1].TaskId);
        Assert.NotSame(events[1].TaskId, events[3].TaskId);
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
