using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Plexus.Protocol.Messages;

namespace Plexus.Logging;

/// <summary>
/// Writes, at a driver, the task log entries its jobs' workers send (<see cref="TaskLogs"/>), at or
/// above <paramref name="minimum"/>: through the program's own logging when it gave Plexus an
/// <see cref="ILoggerFactory"/> (each entry under its own category, with its task, function,
/// actor, job, node and worker pid as structured values), else on the console the way forwarded
/// output is shown (<c>(worker pid=…, node=…)</c> before each entry). A batch that reports dropped
/// entries adds one warning saying how many. Also the sink of what code in the driver itself logs
/// through <c>PlexusRuntime.Logger</c> when the program gave no factory.
/// </summary>
internal sealed class TaskLogWriter(ILoggerFactory? programLoggers, LogLevel minimum, ulong node, TextWriter? output = null, TextWriter? error = null)
    : ITaskLogSink
{
    /// <summary>The category of the warnings that say how many entries a worker dropped.</summary>
    public const string DroppedCategory = "Plexus.TaskLogs";

    // The program's logger of each category, made on first use.
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    /// <summary>Writes what a worker of node <c>logs.Source.Node</c> sent.</summary>
    public void Write(TaskLogs logs)
    {
        var node = logs.Source.Node;
        foreach (var entry in logs.Entries)
        {
            Write(entry, logs.Job, node, logs.Pid, driver: false);
        }

        if (logs.Dropped > 0)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"{logs.Dropped} log entries of job {logs.Job}'s tasks on worker pid {logs.Pid} (node {node:x16}) were dropped: they were logged faster than they could be sent. The worker's log file has them all.");
            Write(new TaskLogEntry
            {
                Time = DateTime.UtcNow, Level = (byte)LogLevel.Warning, Category = DroppedCategory, Message = message,
                Values = [new("dropped", logs.Dropped.ToString(CultureInfo.InvariantCulture))],
            }, logs.Job, node, logs.Pid, driver: false);
        }
    }

    /// <summary>What code in this driver logged through Plexus's loggers.</summary>
    public void Write(JobId job, TaskLogEntry entry, Exception? exception) => Write(entry, job, node, Environment.ProcessId, driver: true);

    private void Write(TaskLogEntry entry, JobId job, ulong from, int pid, bool driver)
    {
        var level = (LogLevel)entry.Level;
        if (level < minimum)
        {
            return;
        }

        if (programLoggers is not null)
        {
            try
            {
                var logger = _loggers.GetOrAdd(entry.Category, programLoggers.CreateLogger);
                logger.Log(level, new EventId(entry.EventId), new TaskLogState(entry, job, from, pid), null, TaskLogState.Format);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failing log provider of the program loses the entry; it must not break the
                // driver's link to its node, on whose thread entries arrive.
                (error ?? Console.Error).WriteLine($"Plexus: the program's logging failed to write a task log entry ({e.GetType().Name}: {e.Message}): {entry.Message}");
            }

            return;
        }

        var origin = driver ? "(driver)" : string.Create(CultureInfo.InvariantCulture, $"(worker pid={pid}, node={from:x16})");
        (level >= LogLevel.Warning ? error ?? Console.Error : output ?? Console.Out).WriteLine(ConsoleLine(origin, entry));
    }

    /// <summary>
    /// One entry as the console shows it: <c>ORIGIN LEVEL: CATEGORY[task TASK FUNCTION] MESSAGE</c>, then
    /// the exception's lines, if any.
    /// </summary>
    internal static string ConsoleLine(string origin, TaskLogEntry entry)
    {
        var where = entry.Task is { } task ? $"[task {task} {entry.Function}]" : string.Empty;
        var line = $"{origin} {LevelName((LogLevel)entry.Level)}: {entry.Category}{where} {entry.Message}";
        return entry.Exception is { } exception ? $"{line}{Environment.NewLine}{exception}" : line;
    }

    // As Microsoft.Extensions.Logging's console logger names them.
    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };
}
