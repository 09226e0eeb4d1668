using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// The cluster's tasks and actor calls, as the nodes' events report them: per task its latest
/// status, where and when each step happened, and why it waits or failed. In memory only (a
/// restarted service starts empty), bounded: beyond <c>finishedKept</c> finished or failed tasks
/// the earliest finished are forgotten; tasks not ended are never forgotten.
/// </summary>
/// <remarks>
/// Queries are indexed (<see cref="TaskIndex"/>): by status, job, node and name, each in listing
/// order (by first report time). A page starts from a cursor, not an offset, so it stays stable
/// while tasks are added, and a deep page costs what the first does. Thread-safe: one lock
/// guards everything; reports and queries hold it for their own work only.
/// </remarks>
internal sealed partial class TaskTable(int finishedKept)
{
    /// <summary>The largest page a query gets.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>The page a query gets when it names none.</summary>
    public const int DefaultLimit = 100;

    private readonly object _lock = new();
    // Every task held, by id.
    private readonly Dictionary<TaskKey, TaskRecord> _tasks = [];
    private readonly TaskIndex _all = new(TaskIndexKind.Order);
    private readonly Dictionary<JobId, TaskIndex> _byJob = [];
    private readonly Dictionary<Proto.TaskStatus, TaskIndex> _byStatus = [];
    private readonly Dictionary<ulong, TaskIndex> _byNode = [];
    private readonly Dictionary<string, TaskIndex> _byName = new(StringComparer.Ordinal);
    // One string per task name, however many tasks carry it.
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    // Finished and failed tasks in the order they ended; stale when a task ran again (FinishedSequence differs).
    private readonly Queue<(long Sequence, TaskRecord Record)> _finished = new();
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
                return _tasks.Count;
            }
        }
    }

    /// <summary>Applies a node's reported steps, in the order given.</summary>
    /// <exception cref="ArgumentException">An event is malformed (the message names the field); nothing of the report is applied.</exception>
    public void Report(ulong node, IReadOnlyList<Proto.TaskEvent> events, long droppedSinceLastReport)
    {
        // Everything is checked before anything is applied: a malformed report changes nothing.
        var keys = events.Select(e => TaskKey.Parse(e.TaskId, "events.task_id")).ToArray();
        foreach (var e in events)
        {
            TaskSteps.StatusOf(e.Kind, actorCall: false);
            if (!e.ActorId.IsEmpty)
            {
                TaskKey.Parse(e.ActorId, "events.actor_id");
            }
        }

        lock (_lock)
        {
            DroppedEvents += droppedSinceLastReport;
            for (var i = 0; i < events.Count; i++)
            {
                Apply(node, keys[i], events[i]);
            }

            Evict();
        }
    }

    private void Apply(ulong node, TaskKey key, Proto.TaskEvent e)
    {
        if (!_tasks.TryGetValue(key, out var record))
        {
            record = new TaskRecord(key, ++_sequence, e.UnixMicros) { Status = Proto.TaskStatus.Submitted, StatusTime = long.MinValue };
            _tasks[key] = record;
            _all.Add(record);
            IndexOf(_byJob, key.Job, TaskIndexKind.Order).Add(record);
            IndexOf(_byStatus, record.Status, TaskIndexKind.Status).Add(record);
            CountsOf(key.Job).Add(string.Empty, record.Status, 1);
            _counts.Add(string.Empty, record.Status, 1);
        }
        else if (e.UnixMicros < record.OrderTime)
        {
            Reorder(record, e.UnixMicros);
        }

        if (!e.ActorId.IsEmpty && record.Actor is null)
        {
            record.Actor = TaskKey.Parse(e.ActorId, "events.actor_id");
        }

        if (e.Name.Length > 0 && record.Name.Length == 0)
        {
            Rename(record, e.Name);
        }

        if (e.Kind is Proto.TaskEventKind.EventSubmitted or Proto.TaskEventKind.EventReceived
            && (record.SubmittedMicros == 0 || e.UnixMicros < record.SubmittedMicros))
        {
            record.SubmittedMicros = e.UnixMicros;
        }

        var attempt = e.Attempt < 0 ? record.Attempt : e.Attempt;
        var status = TaskSteps.StatusOf(e.Kind, record.Actor is not null);
        if (!TaskSteps.Advances(record, attempt, status, e.UnixMicros))
        {
            return;
        }

        if (attempt != record.Attempt)
        {
            // Another run: the times of the one before do not describe it.
            record.DispatchedMicros = record.StartedMicros = record.EndedMicros = 0;
            record.WorkerPid = 0;
        }

        record.Attempt = attempt;
        record.StatusTime = e.UnixMicros;
        SetStatus(record, status);
        // Submitted and forwarded are the submitting node's steps; every other step places the task on its reporter.
        if (e.Kind is not (Proto.TaskEventKind.EventSubmitted or Proto.TaskEventKind.EventForwarded) || record.Node == 0)
        {
            Move(record, node);
        }

        record.Reason = e.Kind == Proto.TaskEventKind.EventFailed ? e.ErrorMessage : e.Reason;
        record.ErrorType = e.ErrorType;
        if (e.WorkerPid != 0)
        {
            record.WorkerPid = e.WorkerPid;
        }

        switch (status)
        {
            case Proto.TaskStatus.Dispatched:
                record.DispatchedMicros = e.UnixMicros;
                break;
            case Proto.TaskStatus.Running:
                record.StartedMicros = e.UnixMicros;
                break;
            case Proto.TaskStatus.Finished or Proto.TaskStatus.Failed:
                record.EndedMicros = e.UnixMicros;
                break;
        }
    }

    private void SetStatus(TaskRecord record, Proto.TaskStatus status)
    {
        if (status == record.Status)
        {
            return;
        }

        CountsOf(record.Id.Job).Add(record.Name, record.Status, -1);
        _counts.Add(record.Name, record.Status, -1);
        IndexOf(_byStatus, record.Status, TaskIndexKind.Status).Left();
        if (record.IsTerminal)
        {
            _finishedCount--;
            record.FinishedSequence = 0;
        }

        record.Status = status;
        record.StatusStamp++;
        IndexOf(_byStatus, status, TaskIndexKind.Status).Add(record);
        CountsOf(record.Id.Job).Add(record.Name, status, 1);
        _counts.Add(record.Name, status, 1);
        if (record.IsTerminal)
        {
            _finishedCount++;
            record.FinishedSequence = ++_finishSequence;
            _finished.Enqueue((record.FinishedSequence, record));
        }
    }

    private void Move(TaskRecord record, ulong node)
    {
        if (node == record.Node)
        {
            return;
        }

        if (record.Node != 0)
        {
            IndexOf(_byNode, record.Node, TaskIndexKind.Node).Left();
        }

        record.Node = node;
        record.NodeStamp++;
        IndexOf(_byNode, node, TaskIndexKind.Node).Add(record);
    }

    private void Rename(TaskRecord record, string name)
    {
        CountsOf(record.Id.Job).Add(record.Name, record.Status, -1);
        _counts.Add(record.Name, record.Status, -1);
        if (!_names.TryGetValue(name, out var shared))
        {
            _names.Add(name);
            shared = name;
        }

        record.Name = shared;
        record.NameStamp++;
        IndexOf(_byName, record.Name, TaskIndexKind.Name).Add(record);
        CountsOf(record.Id.Job).Add(record.Name, record.Status, 1);
        _counts.Add(record.Name, record.Status, 1);
    }

    // An earlier step arrived (another node reported its part late): the task moves to its place in every index.
    private void Reorder(TaskRecord record, long time)
    {
        LeaveAll(record);
        record.OrderTime = time;
        record.OrderStamp++;
        record.StatusStamp++;
        _all.Add(record);
        IndexOf(_byJob, record.Id.Job, TaskIndexKind.Order).Add(record);
        IndexOf(_byStatus, record.Status, TaskIndexKind.Status).Add(record);
        if (record.Node != 0)
        {
            record.NodeStamp++;
            IndexOf(_byNode, record.Node, TaskIndexKind.Node).Add(record);
        }

        if (record.Name.Length > 0)
        {
            record.NameStamp++;
            IndexOf(_byName, record.Name, TaskIndexKind.Name).Add(record);
        }
    }

    private void LeaveAll(TaskRecord record)
    {
        _all.Left();
        _byJob[record.Id.Job].Left();
        _byStatus[record.Status].Left();
        if (record.Node != 0)
        {
            _byNode[record.Node].Left();
        }

        if (record.Name.Length > 0)
        {
            _byName[record.Name].Left();
        }
    }

    // The earliest finished go once more are held than the bound; tasks not ended stay whatever their number.
    private void Evict()
    {
        while (_finishedCount > finishedKept && _finished.TryDequeue(out var oldest))
        {
            var record = oldest.Record;
            if (record.Removed || record.FinishedSequence != oldest.Sequence)
            {
                continue; // Ran again since, or forgotten already.
            }

            LeaveAll(record);
            record.Removed = true;
            _tasks.Remove(record.Id);
            _finishedCount--;
            CountsOf(record.Id.Job).Add(record.Name, record.Status, -1);
            _counts.Add(record.Name, record.Status, -1);
            if (_countsByJob.TryGetValue(record.Id.Job, out var jobCounts) && jobCounts.IsEmpty)
            {
                _countsByJob.Remove(record.Id.Job);
            }

            Evicted++;
        }
    }

    private static TaskIndex IndexOf<TKey>(Dictionary<TKey, TaskIndex> indexes, TKey key, TaskIndexKind kind)
        where TKey : notnull
    {
        if (!indexes.TryGetValue(key, out var index))
        {
            index = new TaskIndex(kind);
            indexes[key] = index;
        }

        return index;
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
