using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// The latest the task table knows of one task or actor call, stored in place in the table's
/// array of slots: a value, not an object per task, so the table's tens of thousands of records
/// are a few arrays to the garbage collector rather than as many objects copied from generation to
/// generation. It holds no references (texts are numbers in <see cref="TaskTexts"/>), so the
/// collector never scans the slots either. Its place in the listing order is
/// (<see cref="OrderTime"/>, <see cref="Sequence"/>).
/// </summary>
internal struct TaskSlot
{
    public TaskKey Id;

    /// <summary>Unique and increasing in the order the table first heard of tasks (from 1); 0 while the slot is free.</summary>
    public long Sequence;

    /// <summary>The earliest time any node reported for it (its submission, as a rule), Unix µs: the listing order.</summary>
    public long OrderTime;

    /// <summary>Its name's number in the table's <see cref="TaskNames"/>; <see cref="TaskNames.None"/> until a step names it.</summary>
    public int Name;

    public Proto.TaskStatus Status;
    public int Attempt;

    /// <summary>The node time of the step that set <see cref="Status"/>, Unix µs: a step of the same attempt from earlier does not undo a later one.</summary>
    public long StatusTime;

    /// <summary>Why it waits or failed: its number in the table's <see cref="TaskTexts"/>; <see cref="TaskTexts.None"/> for none.</summary>
    public int Reason;

    /// <summary>The type of the error it failed with: its number in the table's <see cref="TaskTexts"/>; <see cref="TaskTexts.None"/> for none.</summary>
    public int ErrorType;

    public ulong Node;
    public int WorkerPid;
    public TaskKey? Actor;
    public long SubmittedMicros;
    public long DispatchedMicros;
    public long StartedMicros;
    public long EndedMicros;

    /// <summary>Its place in the table's finish order while it is finished or failed (for eviction), else 0.</summary>
    public long FinishedSequence;

    public readonly bool IsTerminal => Status is Proto.TaskStatus.Finished or Proto.TaskStatus.Failed;
}
