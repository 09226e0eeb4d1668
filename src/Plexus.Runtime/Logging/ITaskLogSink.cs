using Plexus.Protocol.Messages;

namespace Plexus.Logging;

/// <summary>Where a process's task log entries go: a worker's file and driver, or a driver's own output.</summary>
internal interface ITaskLogSink
{
    /// <summary>
    /// Writes <paramref name="entry"/> of job <paramref name="job"/>; <paramref name="exception"/> is
    /// the exception logged with it, when the sink can keep more than its text. Never throws.
    /// </summary>
    void Write(JobId job, TaskLogEntry entry, Exception? exception);
}
