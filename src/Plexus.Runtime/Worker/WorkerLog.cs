using Microsoft.Extensions.Logging;

namespace Plexus.Worker;

/// <summary>What a worker writes to its own log file (<see cref="WorkerLogging"/>).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Process} (pid {Pid}) joined node {Node:x16}")]
    public static partial void WorkerJoined(this ILogger logger, int process, ulong node, int pid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Process} read a bad frame from its node: {Reason}")]
    public static partial void BadFrame(this ILogger logger, int process, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Process} leaves: {Reason}")]
    public static partial void WorkerLeaving(this ILogger logger, int process, string reason);
}
