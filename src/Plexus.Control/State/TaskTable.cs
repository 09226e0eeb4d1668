using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// The cluster's tasks and actor calls, as the nodes' events report them: per task its latest
/// status, where and when each step happened, and why it waits or failed. In memory only (a
/// restarted service starts empty), bounded: beyond <c>finishedKept</c> finished or failed tasks
/// the earliest finished are forgotten; tasks not ended are never forgotten.
/// </summary>
/// <remarks>
/// Built for cheap ingestion, since every task's every step comes through here while nobody may be
/// looking: a step updates its task's slot in place (<see cref="TaskSlot"/>, values without
/// references in one array, its texts by number in <see cref="TaskTexts"/>, nothing allocated per
/// task) and the counts by function and status; the only order kept is the
/// listing order (<see cref="TaskOrder"/>), entered once per task. Queries filter as they walk
/// that order. A page starts from a cursor, not an offset, so it stays stable while tasks are
/// added, and a deep page costs what the first does. Thread-safe: one lock guards everything;
/// reports and queries hold it for their own work only.
/// </remarks>
internal sealed partial class TaskTable(int finishedKept)
{
    /// <summary>The largest page a query gets.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>The page a query gets when it names none.</summary>
    public const int DefaultLimit = 100;

    private readonly object _lock = new();
    // Every task held: its slot, by id; the slots, and those freed by eviction for reuse.
    private readonly Dictionary<TaskKey, int> _slotOf = [];
    private readonly TaskSlots _slots = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly TaskOrder _order = new();
    private readonly TaskNames _names = new();
    private readonly TaskTexts _texts = new();
    // Finished and failed tasks in the order they ended; stale when the slot's task ran again or was forgotten (its FinishedSequence differs).
    private readonly Queue<(long FinishedSequence, int Slot)> _finished = new();
    private readonly TaskCounts _counts = new();
    private readonly Dictionary<JobId, TaskCounts> _countsByJob = [];
    // The last sequence given to a task (first heard of) and to a task's end.
    private long _sequence;
    private long _finishSequence;
    // Tasks now finished or failed, of those held.
    private int _finishedCount;

    /// <summary>Finished tasks forgotten since the table was made, beyond its bound.</summary>
    public long Evicted { get; private set; }

    /// <summary>Events the nodes reported they dropped (their buffers filled between reports), since the table was made.</summary>
    public long DroppedEvents { get; private set; }

    /// <summary>How many tasks the table holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _slotOf.Count;
            }
        }
    }

    /// <summary>Applies a node's reported steps, in the order given.</summary>
    /// <exception cref="ArgumentException">An event is malformed (the message names the field); nothing of the report is applied.</exception>
    public void Report(ulong node, IReadOnlyList<Proto.TaskEvent> events, long droppedSinceLastReport)
    {
        // Everything is checked before anything is applied: a malformed report changes nothing.
        var keys = new TaskKey[events.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var e = events[i];
            keys[i] = TaskKey.Parse(e.TaskId, "events.task_id");
            TaskSteps.StatusOf(e.Kind, actorCall: false);
            if (!e.ActorId.IsEmpty)
            {
                TaskKey.Parse(e.ActorId, "events.actor_id");
            }
        }

        lock (_lock)
        {
            DroppedEvents += droppedSinceLastReport;
            for (var i = 0; i < keys.Length; i++)
            {
                Apply(node, keys[i], events[i]);
            }

            Evict();
        }
    }

    private void Apply(ulong node, TaskKey key, Proto.TaskEvent e)
    {
        var first = FirstMicros(e);
        if (!_slotOf.TryGetValue(key, out var slot))
        {
            slot = Enter(key, first);
        }
        else if (first < _slots[slot].OrderTime)
        {
            // An earlier step arrived (another node reported its part late): the task moves to its place in the order.
            _slots[slot].OrderTime = first;
            _order.Add(slot, _slots[slot]);
            _order.Left(_slots);
        }

        ref var task = ref _slots[slot];
        var counts = CountsOf(key.Job);
        if (!e.ActorId.IsEmpty && task.Actor is null)
        {
            task.Actor = TaskKey.Parse(e.ActorId, "events.actor_id");
        }

        if (e.Name.Length > 0 && task.Name == TaskNames.None)
        {
            var name = _names.Add(e.Name);
            counts.Add(task.Name, task.Status, -1);
            _counts.Add(task.Name, task.Status, -1);
            task.Name = name;
            counts.Add(name, task.Status, 1);
            _counts.Add(name, task.Status, 1);
        }

        // The steps the node folded into the event, in their order, then its own (state.proto, TaskEvent).
        var worker = e.WorkerPid;
        ApplyFolded(node, slot, ref task, counts, e.Attempt, Proto.TaskEventKind.EventSubmitted, e.SubmittedUnixMicros, 0);
        ApplyFolded(node, slot, ref task, counts, e.Attempt, Proto.TaskEventKind.EventReceived, e.ReceivedUnixMicros, 0);
        ApplyFolded(node, slot, ref task, counts, e.Attempt, Proto.TaskEventKind.EventQueued, e.QueuedUnixMicros, 0);
        ApplyFolded(node, slot, ref task, counts, e.Attempt, Proto.TaskEventKind.EventDispatched, e.DispatchedUnixMicros, worker);
        ApplyFolded(node, slot, ref task, counts, e.Attempt, Proto.TaskEventKind.EventStarted, e.StartedUnixMicros, worker);
        var reason = e.Kind == Proto.TaskEventKind.EventFailed ? e.ErrorMessage : e.Reason;
        ApplyStep(node, slot, ref task, counts, new Step(e.Kind, e.UnixMicros, e.Attempt, worker, reason, e.ErrorType));
    }

    // The earliest time the event gives: its first folded step's, else its own.
    private static long FirstMicros(Proto.TaskEvent e) =>
        e.SubmittedUnixMicros != 0 ? e.SubmittedUnixMicros
        : e.ReceivedUnixMicros != 0 ? e.ReceivedUnixMicros
        : e.QueuedUnixMicros != 0 ? e.QueuedUnixMicros
        : e.DispatchedUnixMicros != 0 ? e.DispatchedUnixMicros
        : e.StartedUnixMicros != 0 ? e.StartedUnixMicros
        : e.UnixMicros;

    private void ApplyFolded(ulong node, int slot, ref TaskSlot task, TaskCounts counts, int attempt, Proto.TaskEventKind kind, long micros, int worker)
    {
        if (micros != 0)
        {
            ApplyStep(node, slot, ref task, counts, new Step(kind, micros, attempt, worker, string.Empty, string.Empty));
        }
    }

    // One step of a task: what an unfolded event says, or one of the steps folded into an event.
    private readonly record struct Step(Proto.TaskEventKind Kind, long Micros, int Attempt, int WorkerPid, string Reason, string ErrorType);

    private void ApplyStep(ulong node, int slot, ref TaskSlot task, TaskCounts counts, in Step step)
    {
        if (step.Kind is Proto.TaskEventKind.EventSubmitted or Proto.TaskEventKind.EventReceived
            && (task.SubmittedMicros == 0 || step.Micros < task.SubmittedMicros))
        {
            task.SubmittedMicros = step.Micros;
        }

        var attempt = step.Attempt < 0 ? task.Attempt : step.Attempt;
        var status = TaskSteps.StatusOf(step.Kind, task.Actor is not null);
        if (!TaskSteps.Advances(task, attempt, status, step.Micros))
        {
            return;
        }

        if (attempt != task.Attempt)
        {
            // Another run: the times of the one before do not describe it.
            task.DispatchedMicros = task.StartedMicros = task.EndedMicros = 0;
            task.WorkerPid = 0;
        }

        task.Attempt = attempt;
        task.StatusTime = step.Micros;
        SetStatus(slot, ref task, status, counts);
        // Submitted and forwarded are the submitting node's steps; every other step places the task on its reporter.
        if (step.Kind is not (Proto.TaskEventKind.EventSubmitted or Proto.TaskEventKind.EventForwarded) || task.Node == 0)
        {
            task.Node = node;
        }

        _texts.Set(ref task.Reason, step.Reason);
        _texts.Set(ref task.ErrorType, step.ErrorType);
        if (step.WorkerPid != 0)
        {
            task.WorkerPid = step.WorkerPid;
        }

        switch (status)
        {
            case Proto.TaskStatus.Dispatched:
                task.DispatchedMicros = step.Micros;
                break;
            case Proto.TaskStatus.Running:
                task.StartedMicros = step.Micros;
                break;
            case Proto.TaskStatus.Finished or Proto.TaskStatus.Failed:
                task.EndedMicros = step.Micros;
                break;
        }
    }

    // A task first heard of: a slot (a freed one if any), submitted as far as the table knows, placed in the order.
    private int Enter(TaskKey key, long time)
    {
        if (!_freeSlots.TryPop(out var slot))
        {
            slot = _slots.Add();
        }

        _slots[slot] = new TaskSlot
        {
            Id = key,
            Sequence = ++_sequence,
            OrderTime = time,
            Status = Proto.TaskStatus.Submitted,
            StatusTime = long.MinValue,
        };
        _slotOf[key] = slot;
        _order.Add(slot, _slots[slot]);
        CountsOf(key.Job).Add(TaskNames.None, Proto.TaskStatus.Submitted, 1);
        _counts.Add(TaskNames.None, Proto.TaskStatus.Submitted, 1);
        return slot;
    }

    private void SetStatus(int slot, ref TaskSlot task, Proto.TaskStatus status, TaskCounts counts)
    {
        if (status == task.Status)
        {
            return;
        }

        counts.Move(task.Name, task.Status, status);
        _counts.Move(task.Name, task.Status, status);
        if (task.IsTerminal)
        {
            _finishedCount--;
            task.FinishedSequence = 0;
        }

        task.Status = status;
        if (task.IsTerminal)
        {
            _finishedCount++;
            task.FinishedSequence = ++_finishSequence;
            _finished.Enqueue((task.FinishedSequence, slot));
        }
    }

    // The earliest finished go once more are held than the bound; tasks not ended stay whatever their number.
    private void Evict()
    {
        while (_finishedCount > finishedKept && _finished.TryDequeue(out var oldest))
        {
            ref var task = ref _slots[oldest.Slot];
            if (task.Sequence == 0 || task.FinishedSequence != oldest.FinishedSequence)
            {
                continue; // Ran again since, or forgotten already.
            }

            _slotOf.Remove(task.Id);
            _finishedCount--;
            CountsOf(task.Id.Job).Add(task.Name, task.Status, -1);
            _counts.Add(task.Name, task.Status, -1);
            if (_countsByJob.TryGetValue(task.Id.Job, out var jobCounts) && jobCounts.IsEmpty)
            {
                _countsByJob.Remove(task.Id.Job);
            }

            // Free: its order entry is stale from now on (the sequence no longer matches), and its texts go.
            _texts.Clear(ref task.Reason);
            _texts.Clear(ref task.ErrorType);
            task = default;
            _freeSlots.Push(oldest.Slot);
            _order.Left(_slots);
            Evicted++;
        }
    }

    private TaskCounts CountsOf(JobId job)
    {
        if (!_countsByJob.TryGetValue(job, out var counts))
        {
            counts = new TaskCounts();
            _countsByJob[job] = counts;
        }

        return counts;
    }
}
