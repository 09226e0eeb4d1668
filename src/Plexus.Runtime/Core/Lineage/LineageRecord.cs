using Plexus.Protocol.Messages;

namespace Plexus.Core.Lineage;

/// <summary>
/// The task that made one or more stored objects, kept by their owner so that it can run the task
/// again when every copy of one is lost with its node. Guarded by the reference table's lock.
/// </summary>
/// <remarks>
/// While a record is kept, each object in <see cref="Held"/> counts it once
/// (<c>RefEntry.LineageRefs</c>), so an argument the task needs to run again outlives the handles
/// the program had on it. A record is dropped when its last return is freed, or evicted (oldest
/// first) when its owner's records pass their budget (<see cref="LineageLedger"/>).
/// </remarks>
internal sealed class LineageRecord(TaskSpec spec, NestedRef[] held, long bytes)
{
    /// <summary>The spec last sent for the task: its arguments as resolved then, and its attempt.</summary>
    public TaskSpec Spec { get; set; } = spec;

    /// <summary>The refs the task holds while it runs (its ref arguments, refs inside inline ones, large arguments put for it).</summary>
    public NestedRef[] Held { get; } = held;

    /// <summary>Returns of the task whose entries still live and point here: at 0 the record goes.</summary>
    public int LiveReturns { get; set; }

    /// <summary>What the record costs its owner: the spec, its inline arguments, and argument values it keeps in the store.</summary>
    public long Bytes { get; } = bytes;

    /// <summary>
    /// A run again of the task is under way: a return found lost meanwhile waits for it rather than
    /// starting another. Two runs again of one task would share its id and return ids, and the owner
    /// keeps only the later one's outcome, so the earlier could finish unheard while the later one
    /// is never run (a node tracks a task by its id).
    /// </summary>
    public bool Remaking { get; set; }

    /// <summary>Dropped to keep within the budget: the returns can no longer be made again.</summary>
    public bool Evicted { get; set; }

    /// <summary>Its place in the ledger's age order, while it is there.</summary>
    public LinkedListNode<LineageRecord>? Place { get; set; }
}
