namespace Plexus;

/// <summary>Why an object can no longer be read (<see cref="ObjectLostException.Reason"/>).</summary>
public enum ObjectLossReason
{
    /// <summary>Its owner freed it (every reference was dropped), or it never existed.</summary>
    Freed = 0,

    /// <summary>The process that owned it exited; objects fate-share with their owner.</summary>
    OwnerDied = 1,

    /// <summary>It was put (not computed by a task), so there is nothing to re-run, and its only copy was lost.</summary>
    PutLost = 2,

    /// <summary>It was the result of an actor call, which cannot be re-run, and its only copy was lost.</summary>
    ActorResultLost = 3,

    /// <summary>Its owner dropped the lineage that could have made it again (<c>PlexusOptions.MaxLineageBytes</c>).</summary>
    LineageEvicted = 4,

    /// <summary>The task that made it has used every attempt its <c>MaxRetries</c> allows.</summary>
    MaxAttemptsExceeded = 5,

    /// <summary>The task that made it cannot run again anywhere (it is bound to a node that died).</summary>
    TaskNotRunnable = 6,

    /// <summary>An argument of the task that made it was lost and could not be made again.</summary>
    ArgumentLost = 7,
}
