using Plexus.Control;

namespace Plexus.Hosting.Cluster;

/// <summary>
/// Tells a node which jobs finished, reading only the job table's changes since its last read
/// (every job on the first read, and again after the control service restarted): a node's poll
/// costs the head the jobs that changed, not the cluster's whole job history.
/// </summary>
/// <param name="control">The control service.</param>
/// <param name="retire">
/// Retires finished jobs on the node and returns those it kept (their actors live on). The table
/// reports a finish once, so the kept ones are handed over again on every later read.
/// </param>
internal sealed class FinishedJobsReader(IControlClient control, Func<IEnumerable<JobId>, IReadOnlyList<JobId>> retire)
{
    // How far the table has been read; null before the first read. One read at a time (the caller's loop).
    private JobTableRevision? _seen;

    // Finished jobs the node kept on the last read, to retire again.
    private IReadOnlyList<JobId> _kept = [];

    /// <summary>Reads the jobs changed since the last read and retires the finished ones; throws what the control client throws.</summary>
    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        var changes = await control.ListJobsChangedSinceAsync(_seen, cancellationToken).ConfigureAwait(false);
        var finished = changes.Jobs.Where(j => j.State == JobState.Finished).Select(j => ControlIds.JobOf(j.JobId)).OfType<JobId>();
        _kept = retire(finished.Concat(_kept).Distinct());
        _seen = changes.Revision;
    }
}
