namespace Plexus.Node;

/// <summary>
/// What a node takes under its lock to report (its events since the last report, the pids of the
/// workers they name, its worker processes now); turned into a message after the lock is released.
/// </summary>
/// <remarks>
/// The events sit in the recorder's spare array, given back when the batch is disposed
/// (<see cref="TaskEventRecorder.Drain()"/>): a full ring is megabytes, and a new array each second
/// would be a large-object allocation, which the runtime pays for with full collections.
/// </remarks>
internal sealed record TaskEventBatch(
    ArraySegment<TaskEvent> Events, long Dropped, IReadOnlyDictionary<int, int> Pids, IReadOnlyList<WorkerSnapshot> Workers, TaskEventRecorder Recorder)
    : IDisposable
{
    /// <summary>Takes every event <paramref name="recorder"/> holds; the rest of the batch is filled in by the caller.</summary>
    public static ArraySegment<TaskEvent> Drain(TaskEventRecorder recorder) => recorder.Drain();

    /// <summary>Gives the events' array back to the recorder; the batch's events are not to be read after.</summary>
    public void Dispose()
    {
        if (Events.Array is { Length: > 0 } array)
        {
            Recorder.GiveBack(array, Events.Count);
        }
    }

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
