using System.Collections.Concurrent;
using Plexus.Core.References;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// The owner's bookkeeping of what this runtime submitted (tasks, actor calls and constructions),
/// in one place: which have not finished, what each holds until it does, how many objects it
/// returns, and its spec, the lineage its return objects are made from. Re-running a task to
/// re-make a lost object reads it here.
/// </summary>
/// <remarks>
/// A task is unfinished from submission until its result or failure is back (the node retries a
/// task whose worker died without telling the owner, so the owner sees one outcome per task).
/// Lineage outlives that: each return object's entry keeps the spec while the object lives
/// (<see cref="RefEntry.Lineage"/>), and the reference table drops it with the object. Thread-safe:
/// submissions come from any thread, results from the receiving thread.
/// </remarks>
internal sealed class OwnedTasks
{
    private readonly ConcurrentDictionary<TaskId, SubmittedTask> _unfinished = new();

    /// <summary>The tasks submitted and not finished.</summary>
    public ICollection<TaskId> Unfinished => _unfinished.Keys;

    public void Add(TaskId task, SubmittedTask submitted) => _unfinished[task] = submitted;

    public SubmittedTask? Find(TaskId task) => _unfinished.GetValueOrDefault(task);

    /// <summary>The task's outcome is known: it is forgotten here and returned, or null if it was not here.</summary>
    public SubmittedTask? Finish(TaskId task) => _unfinished.TryRemove(task, out var submitted) ? submitted : null;

    /// <summary>The spec is on its way: it is the lineage of each of <paramref name="returns"/>.</summary>
    public static void RecordLineage(TaskSpec spec, RefEntry[] returns)
    {
        foreach (var entry in returns)
        {
            entry.Lineage = spec;
        }
    }
}
