using System.Collections.Concurrent;
using Plexus.Core.References;

namespace Plexus.Core;

/// <summary>
/// The owner's bookkeeping of what this runtime submitted (tasks, actor calls and constructions),
/// in one place: which have not finished, what each holds until it does, how many objects it
/// returns, and its spec.
/// </summary>
/// <remarks>
/// A task is unfinished from submission until its result or failure is back (the node retries a
/// task whose worker died without telling the owner, so the owner sees one outcome per task).
/// Lineage outlives that: when a task with a stored return finishes, the reference table keeps its
/// spec as the returns' lineage record (<see cref="RefEntry.Record"/>) for as long as one of them
/// lives, and a re-run to make a lost object again is added here as unfinished once more. Thread-safe:
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
}
