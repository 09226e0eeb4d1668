using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Plexus.Logging;
using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>
/// Where a worker's task log entries go: every one to the worker's own log file (one JSON line,
/// with its task, function and actor beside the file's job, node and process), when the node gave
/// the worker one; and to its job's driver through <paramref name="forwarder"/>, which may drop
/// entries under a flood (the file keeps them all).
/// </summary>
internal sealed class WorkerTaskLogSink(ILoggerProvider? file, TaskLogForwarder forwarder) : ITaskLogSink
{
    // The file's logger of each category, made on first use.
    private readonly ConcurrentDictionary<string, ILogger> _fileLoggers = new(StringComparer.Ordinal);

    public void Write(JobId job, TaskLogEntry entry, Exception? exception)
    {
        if (file is not null)
        {
            var logger = _fileLoggers.GetOrAdd(entry.Category, file.CreateLogger);
            logger.Log((LogLevel)entry.Level, new EventId(entry.EventId), new TaskLogState(entry), exception, static (state, _) => state.ToString());
        }

        forwarder.Add(job, entry);
    }
}
