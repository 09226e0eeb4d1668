namespace Plexus;

/// <summary>How an actor lives and runs.</summary>
public sealed record ActorOptions
{
    public static ActorOptions Default { get; } = new();

    /// <summary>A name to find the actor by (<c>GetActorAsync</c>), unique among live actors of the namespace.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The namespace of the name. Default: null, the namespace of the job creating the actor (see
    /// <see cref="PlexusOptions.Namespace"/>).
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>Lives until killed, even after its creator exits or drops its handles.</summary>
    public bool Detached { get; init; }

    /// <summary>Runs alone in a worker process started for it (isolation, native resources), not among the shared pool's actors.</summary>
    public bool DedicatedProcess { get; init; }

    /// <summary>
    /// CPUs reserved for the actor on its worker while it lives (tasks there get that many fewer).
    /// While no worker has that many unreserved, the actor is pending: its handle works and its
    /// calls wait. Asking for more than a worker has at all is infeasible: it stays pending (the
    /// node logs a warning) until a node whose workers can hold it joins. Default: 0, an actor
    /// shares its worker's CPUs with its tasks.
    /// </summary>
    public double Cpus { get; init; }

    /// <summary>Calls that may run at once (threaded, or interleaved at awaits). Default: 1, one at a time.</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>
    /// Other resources the actor's node must offer, by name (<c>"GPU"</c>, a node's custom ones): it is
    /// placed on a node that has them free and holds them while it lives (an actor in a process of
    /// its own does not). A request no node offers waits as infeasible (its handle works, its calls
    /// wait) until a node offering it joins. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, double>? Resources { get; init; }

    /// <summary>Which node hosts the actor. Default: <see cref="SchedulingStrategy.Default"/> (the creator's node when it can).</summary>
    public SchedulingStrategy Strategy { get; init; } = SchedulingStrategy.Default;

    /// <summary>
    /// How many times the actor is built again (its constructor re-run with its original arguments,
    /// on a live worker) after its worker process or its node dies. Its id, its name and every handle
    /// stay valid; calls made meanwhile wait for the new instance, whose state is the constructor's
    /// (or its last checkpoint's, see <see cref="IActorCheckpoint{TState}"/>). A killed actor is never
    /// restarted. Once the restarts are used up, the next death ends it and its calls fail with
    /// <see cref="ActorDiedException"/> (<see cref="ActorDeathCause.RestartsExhausted"/>).
    /// Default: 0, never restarted; -1 restarts without limit. Less than -1 throws <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public int MaxRestarts { get; init; }

    /// <summary>
    /// How many times a call that was running or queued on the actor when it died is sent again to
    /// the restarted actor (calls not yet delivered always wait for it); each caller's calls keep
    /// their order. A call out of retries fails with <see cref="ActorDiedException"/>
    /// (<see cref="ActorDeathCause.WorkerDied"/>). Only used with <see cref="MaxRestarts"/> not 0.
    /// Default: 0, never sent again; -1 without limit. Less than -1 throws <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public int MaxTaskRetries { get; init; }

    /// <summary>
    /// Completed calls between the checkpoints the runtime takes of an actor implementing
    /// <see cref="IActorCheckpoint{TState}"/> (each when none of its calls runs); a restarted actor
    /// resumes from the last one. Default: 0, only on <see cref="ActorHandle{T}.CheckpointAsync"/>.
    /// More than 0 for a class that does not implement <see cref="IActorCheckpoint{TState}"/> throws
    /// <see cref="ArgumentException"/> at creation; less than 0 throws <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public int CheckpointEvery { get; init; }
}
