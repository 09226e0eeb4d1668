using Plexus.Control.Packages;

namespace Plexus.Control.Service;

/// <summary>How a <see cref="ControlService"/> judges liveness, keeps packages and how much actor history it keeps, fixed when it is created.</summary>
/// <param name="HeartbeatInterval">How often nodes are told to heartbeat.</param>
/// <param name="HeartbeatTimeout">A node silent for this long is marked DEAD; longer than the interval.</param>
internal sealed record ControlServiceSettings(TimeSpan HeartbeatInterval, TimeSpan HeartbeatTimeout)
{
    /// <summary>The default heartbeat interval, 1 s.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default heartbeat timeout, 10 s: ten missed heartbeats.</summary>
    public static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default number of finished jobs the job table remembers, 1000.</summary>
    public const int DefaultFinishedJobsKept = 1000;

    public static ControlServiceSettings Default { get; } = new(DefaultHeartbeatInterval, DefaultHeartbeatTimeout);

    /// <summary>
    /// Where uploaded application packages are kept (created if absent). Default null: a
    /// temporary directory of the service's own, created on the first package call and deleted
    /// when the service is disposed.
    /// </summary>
    public string? PackageDirectory { get; init; }

    /// <summary>How large a package may be. Default <see cref="PackageLimits.Default"/>.</summary>
    public PackageLimits PackageLimits { get; init; } = PackageLimits.Default;

    /// <summary>
    /// How many finished jobs the job table remembers (in memory and in the store): beyond them,
    /// the earliest finished are forgotten. Running jobs are always kept. Default
    /// <see cref="DefaultFinishedJobsKept"/>; at least 1.
    /// </summary>
    public int FinishedJobsKept { get; init; } = DefaultFinishedJobsKept;

    /// <summary>The default of <see cref="DeadActorHistory"/>, 10,000.</summary>
    public const int DefaultDeadActorHistory = 10_000;

    /// <summary>
    /// How many dead actors the actor table remembers, with why they ended: the most recently
    /// ended; older ones are forgotten, in memory and in the store. Live actors are always kept.
    /// Default <see cref="DefaultDeadActorHistory"/>; 0 forgets an actor as soon as it ends.
    /// </summary>
    public int DeadActorHistory { get; init; } = DefaultDeadActorHistory;

    /// <summary>The default of <see cref="JobOutputLimit"/>, 8 MiB.</summary>
    public const long DefaultJobOutputLimit = 8 << 20;

    /// <summary>
    /// Where submitted jobs' output is kept, one file per job (created if absent), so a restarted
    /// service still serves it. Default null: in memory, lost when the service stops.
    /// </summary>
    public string? JobOutputDirectory { get; init; }

    /// <summary>
    /// How many bytes of one submitted job's output are kept: the most recent; older ones are
    /// dropped as more arrive. Default <see cref="DefaultJobOutputLimit"/>; at least 1.
    /// </summary>
    public long JobOutputLimit { get; init; } = DefaultJobOutputLimit;

    /// <summary>
    /// The head machine's address, whose node runs submitted drivers while it is alive (other nodes
    /// run them otherwise). Default null: any alive node runs them.
    /// </summary>
    public string? HeadHost { get; init; }

    /// <summary>The default of <see cref="FinishedTasksKept"/>, 100,000.</summary>
    public const int DefaultFinishedTasksKept = 100_000;

    /// <summary>
    /// How many finished and failed tasks the task table (the state API's, in memory) remembers:
    /// beyond them the earliest finished are forgotten. Tasks not ended are always kept. Default
    /// <see cref="DefaultFinishedTasksKept"/>; 0 forgets a task as soon as it ends.
    /// </summary>
    public int FinishedTasksKept { get; init; } = DefaultFinishedTasksKept;

    /// <summary>What is wrong with these settings, one sentence per problem naming the setting; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            yield return $"HeartbeatInterval is {HeartbeatInterval}: it must be positive.";
        }

        if (HeartbeatTimeout <= HeartbeatInterval)
        {
            yield return $"HeartbeatTimeout ({HeartbeatTimeout}) must be longer than HeartbeatInterval ({HeartbeatInterval}), " +
                "or a node heartbeating on time would be declared dead; several intervals absorb late heartbeats.";
        }

        if (PackageDirectory is not null && string.IsNullOrWhiteSpace(PackageDirectory))
        {
            yield return "PackageDirectory is blank: give a directory for packages, or null for a temporary one.";
        }

        if (FinishedJobsKept < 1)
        {
            yield return $"FinishedJobsKept is {FinishedJobsKept}: keep at least 1 finished job; nodes learn from the job table which jobs finished.";
        }

        if (JobOutputLimit < 1)
        {
            yield return $"JobOutputLimit is {JobOutputLimit}: keep at least 1 byte of a job's output.";
        }

        if (JobOutputDirectory is not null && string.IsNullOrWhiteSpace(JobOutputDirectory))
        {
            yield return "JobOutputDirectory is blank: give a directory for jobs' output, or null to keep it in memory.";
        }

        if (DeadActorHistory < 0)
        {
            yield return $"DeadActorHistory is {DeadActorHistory}: it must be 0 or more.";
        }

        if (FinishedTasksKept < 0)
        {
            yield return $"FinishedTasksKept is {FinishedTasksKept}: it must be 0 or more.";
        }

        if (PackageLimits is null)
        {
            yield return "PackageLimits is null: use PackageLimits.Default.";
        }
        else
        {
            foreach (string problem in PackageLimits.Problems())
            {
                yield return problem;
            }
        }
    }
}
