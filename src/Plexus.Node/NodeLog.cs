using Microsoft.Extensions.Logging;

namespace Plexus.Node;

internal static partial class NodeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId:x16} started: {Cpus} CPUs, {Workers} workers, store {StoreBytes} bytes")]
    public static partial void NodeStarted(this ILogger logger, ulong nodeId, int cpus, int workers, long storeBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Process} (pid {Pid}) died with {InFlight} tasks in flight")]
    public static partial void WorkerDied(this ILogger logger, int process, int pid, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskName} ({TaskId}) retried after its worker died (attempt {Attempt})")]
    public static partial void TaskRetried(this ILogger logger, string taskName, TaskId taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Process} failed to start: {Reason}")]
    public static partial void WorkerFailedToStart(this ILogger logger, int process, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection of process {Process} failed")]
    public static partial void ConnectionFailed(this ILogger logger, int process, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection refused: {Reason}")]
    public static partial void ConnectionRefused(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed connection of process {Process}: {Reason}")]
    public static partial void ConnectionBroken(this ILogger logger, int process, string reason);
}
