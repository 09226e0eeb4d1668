namespace Plexus.ClusterHosting;

/// <summary>
/// A process as the kernel tells them apart over time: its pid and its start time (pids are
/// reused, the pair is not).
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, ulong StartTicks)
{
    /// <summary>
    /// The identity of a process this process started and has not reaped yet (so its pid cannot
    /// have been reused). One that is gone already gets start time 0, which no process has: only
    /// its session's members are still found as its tree.
    /// </summary>
    public static ProcessIdentity OfChild(int pid) => new(pid, ProcFs.Read(pid)?.StartTicks ?? 0);

    /// <summary>This process.</summary>
    public static ProcessIdentity Current { get; } = OfChild(Environment.ProcessId);

    /// <summary>True when <paramref name="stat"/> is this process.</summary>
    public bool Is(ProcStat stat) => stat.Pid == Pid && stat.StartTicks == StartTicks;

    /// <summary>True while this process exists and has not exited.</summary>
    public bool IsRunning => ProcFs.Read(Pid) is { IsZombie: false } stat && Is(stat);
}
