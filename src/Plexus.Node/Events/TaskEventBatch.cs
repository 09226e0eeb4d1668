namespace Plexus.Node;

/// <summary>
/// What a node takes under its lock to report (its events since the last report, the pids of the
/// workers they name, its worker processes now); turned into a message after the lock is released.
/// </summary>
internal sealed record TaskEventBatch(
    IReadOnlyList<TaskEvent> Events, long Dropped, IReadOnlyDictionary<int, int> Pids, IReadOnlyList<WorkerSnapshot> Workers, TaskEventRecorder Clock)
{
    /// <summary>The node's store at the same moment; null when not taken.</summary>
    public StoreSnapshot? Store { get; init; }
}

/// <summary>A worker process as its node sees it at a report.</summary>
/// <param name="Process">Its process number on the node.</param>
/// <param name="Pid">Its operating-system process id; 0 when not known.</param>
/// <param name="Package">The job package whose code it runs; null for the embedded cluster's pool.</param>
/// <param name="Tasks">The tasks handed to it and not finished.</param>
/// <param name="Actors">The actors it hosts.</param>
/// <param name="Dedicated">Whether it is an actor's process of its own rather than a pool worker.</param>
internal sealed record WorkerSnapshot(int Process, int Pid, string? Package, IReadOnlyList<TaskId> Tasks, int Actors, bool Dedicated);
