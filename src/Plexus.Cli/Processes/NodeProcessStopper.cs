namespace Plexus.Cli.Processes;

/// <summary>
/// Stops a node process: SIGTERM first, so the node drains (no new work; its running tasks
/// finish), leaves the cluster and stops its workers;
/// if it is still running after the grace period, SIGKILL for it and every process below it
/// (its workers would otherwise outlive it).
/// </summary>
internal sealed class NodeProcessStopper
{
    // How often the process table is read while waiting for processes to exit.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // SIGKILL cannot be refused: this only covers the kernel tearing the processes down.
    private static readonly TimeSpan KillDeadline = TimeSpan.FromSeconds(5);

    /// <summary>How long the node has to exit after SIGTERM (<c>--grace-period</c>).</summary>
    public required TimeSpan Grace { get; init; }

    /// <summary>Stops <paramref name="pid"/> and returns how it went.</summary>
    public async Task<StopOutcome> StopAsync(int pid, CancellationToken cancellationToken)
    {
        if (!PosixSignals.Send(pid, PosixSignals.SigTerm) || await ExitedAsync([pid], Grace, cancellationToken).ConfigureAwait(false))
        {
            return new StopOutcome(Killed: false, KilledDescendants: 0);
        }

        // Collected before the kill: once the node is gone its children are re-parented and
        // can no longer be told from anyone else's.
        var descendants = ProcStat.DescendantsOf(pid);
        PosixSignals.Send(pid, PosixSignals.SigKill);
        foreach (int child in descendants)
        {
            PosixSignals.Send(child, PosixSignals.SigKill);
        }

        await ExitedAsync([pid, .. descendants], KillDeadline, cancellationToken).ConfigureAwait(false);
        return new StopOutcome(Killed: true, KilledDescendants: descendants.Count);
    }

    private static async Task<bool> ExitedAsync(IReadOnlyList<int> pids, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        using var timer = new PeriodicTimer(PollInterval);
        while (pids.Any(pid => ProcStat.Read(pid) is { IsRunning: true }))
        {
            try
            {
                await timer.WaitForNextTickAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return true;
    }
}
