using Microsoft.Extensions.Logging;

namespace Plexus.Control;

/// <summary>
/// The control service's log events: one line per event worth knowing, with ids. Registrations
/// come and go with every embedded cluster, so they are Debug; what goes wrong is Warning or
/// Error. The server's events (its address, rejected tokens) are in Plexus.Control.Server.
/// </summary>
internal static partial class ControlLog
{
    [LoggerMessage(2, LogLevel.Debug, "Node {NodeId} registered at {NodeAddress} (pid {Pid})")]
    public static partial void NodeRegistered(ILogger logger, string nodeId, string nodeAddress, int pid);

    [LoggerMessage(3, LogLevel.Warning, "Node {NodeId} at {NodeAddress} declared dead: no heartbeat for {SilenceMs} ms")]
    public static partial void NodeTimedOut(ILogger logger, string nodeId, string nodeAddress, long silenceMs);

    [LoggerMessage(22, LogLevel.Warning, "Node {NodeId} at {NodeAddress} declared dead: {Reason}")]
    public static partial void NodeDeclaredUnreachable(ILogger logger, string nodeId, string nodeAddress, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Node {NodeId} at {NodeAddress} unregistered")]
    public static partial void NodeUnregistered(ILogger logger, string nodeId, string nodeAddress);

    [LoggerMessage(5, LogLevel.Warning, "Rejected registration of node {NodeId} at {NodeAddress}: {Reason}")]
    public static partial void NodeRejected(ILogger logger, string nodeId, string nodeAddress, string reason);

    [LoggerMessage(7, LogLevel.Debug, "Job {JobId} registered (namespace '{Namespace}', driver pid {DriverPid})")]
    public static partial void JobRegistered(ILogger logger, string jobId, string @namespace, int driverPid);

    [LoggerMessage(8, LogLevel.Debug, "Job {JobId} finished")]
    public static partial void JobFinished(ILogger logger, string jobId);

    [LoggerMessage(9, LogLevel.Error, "A NodeDied handler threw for node {NodeId}")]
    public static partial void NodeDiedHandlerFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(10, LogLevel.Error, "Failure detector sweep failed; retrying on the next tick")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Debug, "Actor {ActorId} registered (namespace '{Namespace}', name '{Name}') on node {NodeId}")]
    public static partial void ActorRegistered(ILogger logger, string actorId, string @namespace, string name, string nodeId);

    [LoggerMessage(21, LogLevel.Debug, "Actor {ActorId}, held by node {HeldBy}, moved to node {NodeId}, which hosts it")]
    public static partial void ActorMoved(ILogger logger, string actorId, string heldBy, string nodeId);

    [LoggerMessage(23, LogLevel.Information, "Actor {ActorId}'s node {NodeId} died: incarnation {Incarnation} is to be built on node {Restarter} (none when empty)")]
    public static partial void ActorRestarting(ILogger logger, string actorId, long incarnation, string nodeId, string restarter);

    [LoggerMessage(24, LogLevel.Information, "Actor {ActorId} is alive again (incarnation {Incarnation}) on node {NodeId}")]
    public static partial void ActorRestarted(ILogger logger, string actorId, long incarnation, string nodeId);

    [LoggerMessage(12, LogLevel.Debug, "Actor {ActorId} ended: {Reason}")]
    public static partial void ActorEnded(ILogger logger, string actorId, string reason);

    [LoggerMessage(13, LogLevel.Error, "Marking the actors of dead node {NodeId} dead failed; their names stay taken")]
    public static partial void NodeActorsNotEnded(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(40, LogLevel.Error, "The drivers node {NodeId} ran were not marked failed after it died")]
    public static partial void NodeDriversNotFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(41, LogLevel.Warning, "Node {NodeId} gave no summary of the objects its processes hold: {Reason}")]
    public static partial void NodeHeldObjectsSilent(ILogger logger, string nodeId, string reason);
}
