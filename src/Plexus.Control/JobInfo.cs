namespace Plexus.Control;

/// <summary>One job of the cluster, as listed by <see cref="ControlClient.ListJobsAsync"/>.</summary>
internal sealed class JobInfo
{
    /// <summary>The id the job registered with.</summary>
    public required byte[] JobId { get; init; }

    /// <summary>Process id of the job's driver.</summary>
    public required int DriverPid { get; init; }

    /// <summary>The namespace the job's names live in.</summary>
    public required string Namespace { get; init; }

    /// <summary>What the driver runs (entry assembly or command line); informational.</summary>
    public required string Entry { get; init; }

    /// <summary>Running or finished.</summary>
    public required JobState State { get; init; }

    /// <summary>When the job registered.</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>When the job finished; null while it runs.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"Job {Convert.ToHexStringLower(JobId)} ({Namespace}, driver pid {DriverPid}): {State}";
}
