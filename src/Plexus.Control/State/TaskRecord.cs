using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// The latest the task table knows of one task or actor call. Mutable, guarded by the table's
/// lock. Its place in the listing order, (<see cref="OrderTime"/>, <see cref="Sequence"/>), and
/// the stamps say which of the entries the indexes hold for it are current (see <see cref="TaskIndex"/>).
/// </summary>
internal sealed class TaskRecord(TaskKey id, long sequence, long orderTime)
{
    public TaskKey Id { get; } = id;

    /// <summary>Unique and increasing in the order the table first heard of tasks: breaks ties of <see cref="OrderTime"/>.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>The earliest time any node reported for it (its submission, as a rule), Unix µs: the listing order.</summary>
    public long OrderTime { get; set; } = orderTime;

    public string Name { get; set; } = string.Empty;
    public Proto.TaskStatus Status { get; set; }
    public int Attempt { get; set; }
    // The node time of the step that set Status, Unix µs: a step of the same attempt from earlier does not undo a later one.
    public long StatusTime { get; set; }
    public string Reason { get; set; } = string.Empty;
    public string ErrorType { get; set; } = string.Empty;
    public ulong Node { get; set; }
    public int WorkerPid { get; set; }
    public TaskKey? Actor { get; set; }
    public long SubmittedMicros { get; set; }
    public long DispatchedMicros { get; set; }
    public long StartedMicros { get; set; }
    public long EndedMicros { get; set; }

    /// <summary>Forgotten by the table (evicted): every index entry of it is stale.</summary>
    public bool Removed { get; set; }

    /// <summary>Bumped each time it is entered in the indexes again, per kind of index: entries with an older stamp are stale.</summary>
    public int OrderStamp { get; set; }
    public int StatusStamp { get; set; }
    public int NodeStamp { get; set; }
    public int NameStamp { get; set; }

    /// <summary>Its place in the table's finish order while it is finished or failed (for eviction), else 0.</summary>
    public long FinishedSequence { get; set; }

    public bool IsTerminal => Status is Proto.TaskStatus.Finished or Proto.TaskStatus.Failed;

    public int Stamp(TaskIndexKind kind) => kind switch
    {
        TaskIndexKind.Order => OrderStamp,
        TaskIndexKind.Status => StatusStamp,
        TaskIndexKind.Node => NodeStamp,
        _ => NameStamp,
    };
}
