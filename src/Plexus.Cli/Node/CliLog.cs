using Microsoft.Extensions.Logging;

namespace Plexus.Cli.Node;

/// <summary>The foreground node's and the control service process's own log lines (the cluster node and the service log their own through the same factory).</summary>
internal static partial class CliLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} serving: peers at {NodeAddress}, control service at {ControlAddress} (head: {Head}, pid {Pid}, directory {Directory})")]
    public static partial void NodeServing(ILogger logger, string nodeId, string nodeAddress, string controlAddress, bool head, int pid, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested: draining (no new work; the tasks here finish), then leaving the cluster")]
    public static partial void StopRequested(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: no task is queued or running here")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} left the cluster")]
    public static partial void NodeLeft(ILogger logger, string nodeId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Node {NodeId} stopped on its own")]
    public static partial void NodeFailed(ILogger logger, Exception? exception, string nodeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Control service serving at {Address} (storage {Storage}, pid {Pid})")]
    public static partial void ControlServing(ILogger logger, Uri address, string storage, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Control service stopping: {Reason}")]
    public static partial void ControlStopping(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} was declared dead by the cluster and stopped everything it ran ({Reason}); starting a new node in its place")]
    public static partial void NodeFenced(ILogger logger, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Node {NodeId} was declared dead by the cluster ({Reason}) after {Limit} new nodes in {WindowMinutes} minutes: giving up. Check this machine's link to the head and its load")]
    public static partial void FencedTooOften(ILogger logger, string nodeId, string reason, int limit, double windowMinutes);
}
