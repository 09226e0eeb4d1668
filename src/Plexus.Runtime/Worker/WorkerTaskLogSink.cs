using Microsoft.Extensions.Logging;
using Plexus.Logging;
using Plexus.Node;
using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>
/// Where a worker's task log entries go: every one to the worker's own log file (one JSON line,
/// with its task, function and actor beside the file's job, node and process), when the node gave
/// the worker one; and to its job's driver through <paramref name="forwarder"/>, which may drop
/// entries under a flood (the file keeps them all). An entry exists only at or above its job's level,
/// so the file takes it whatever the file's own minimum (which is for the worker's own lines): a
/// Debug job's Debug entries are in the file as at its driver.
/// </summary>
internal sealed class WorkerTaskLogSink(ProcessLogProvider? file, TaskLogForwarder forwarder) : ITaskLogSink
{
    public void Write(JobId job, TaskLogEntry entry, Exception? exception)
    {
        file?.Write(entry.Category, (LogLevel)entry.Level, new EventId(entry.EventId), new TaskLogState(entry), exception, static (state, _) => state.ToString());
        forwarder.Add(job, entry);
    }
}
