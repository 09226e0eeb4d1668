namespace Plexus.Control;

/// <summary>What <see cref="ControlClient.ListJobsChangedSinceAsync"/> answers.</summary>
/// <param name="Jobs">The jobs registered or finished since the revision asked about (every job when there was none, or the service restarted), in start order.</param>
/// <param name="Revision">What these jobs are complete up to: the revision to ask about next time.</param>
internal sealed record JobChanges(IReadOnlyList<JobInfo> Jobs, JobTableRevision Revision);
