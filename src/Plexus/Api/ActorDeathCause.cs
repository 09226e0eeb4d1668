namespace Plexus;

/// <summary>Why an actor ended (<see cref="ActorDiedException.Cause"/>).</summary>
public enum ActorDeathCause
{
    /// <summary>The cause was not recorded.</summary>
    Unknown = 0,

    /// <summary>It was killed on request; a killed actor is never restarted.</summary>
    Killed = 1,

    /// <summary>The process that created it exited and it was not detached.</summary>
    CreatorExited = 2,

    /// <summary>Its worker process died and it had no restarts left (<c>ActorOptions.MaxRestarts</c>).</summary>
    WorkerDied = 3,

    /// <summary>Its node died and it had no restarts left.</summary>
    NodeDied = 4,

    /// <summary>Its constructor threw, at creation or at a restart.</summary>
    ConstructorFailed = 5,

    /// <summary>It died again after using every restart <c>ActorOptions.MaxRestarts</c> allows.</summary>
    RestartsExhausted = 6,

    /// <summary>The job that created it finished.</summary>
    JobFinished = 7,

    /// <summary>Every handle to it was dropped and it was not detached or named.</summary>
    OutOfScope = 8,
}
