using Microsoft.Extensions.Logging;

namespace Plexus.Node;

/// <summary>
/// The node's log events. At Information only its start; spill passes and joining drivers are
/// Debug (a busy program has many); what goes wrong is Warning or Error.
/// </summary>
internal static partial class NodeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId:x16} started: {Cpus} CPUs, {Workers} workers, store {StoreBytes} bytes")]
    public static partial void NodeStarted(this ILogger logger, ulong nodeId, int cpus, int workers, long storeBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Process} (pid {Pid}) died with {InFlight} tasks in flight")]
    public static partial void WorkerDied(this ILogger logger, int process, int pid, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskName} ({TaskId}) retried after its worker died (attempt {Attempt})")]
    public static partial void TaskRetried(this ILogger logger, string taskName, TaskId taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} cancelled by force: killing its worker process {Process} (pid {Pid})")]
    public static partial void TaskCancelledByForce(this ILogger logger, TaskId taskId, int process, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskName} ({TaskId}) asks for {Cpus} CPUs, more than any worker here has ({WorkerCpus}): it stays pending until a node whose workers can hold it joins. Ask for fewer CPUs, or start fewer workers with more CPUs each")]
    public static partial void TaskInfeasible(this ILogger logger, string taskName, TaskId taskId, double cpus, int workerCpus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskName} ({TaskId}) asks for {Demand}, which no node of the cluster offers: it stays pending until a node that offers it joins")]
    public static partial void TaskInfeasibleInCluster(this ILogger logger, string taskName, TaskId taskId, string demand);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor {ActorId} ({ActorType}) asks for {Cpus} CPUs, more than any worker here has ({WorkerCpus}): it stays pending, and its calls wait, until a node whose workers can hold it joins. Ask for fewer CPUs, or start fewer workers with more CPUs each")]
    public static partial void ActorInfeasible(this ILogger logger, TaskId actorId, string actorType, double cpus, int workerCpus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor {ActorId} ({ActorType}) asks for {Demand}, which no node of the cluster offers: it stays pending, and its calls wait, until a node that offers it joins")]
    public static partial void ActorInfeasibleInCluster(this ILogger logger, TaskId actorId, string actorType, string demand);

    [LoggerMessage(Level = LogLevel.Information, Message = "Actor {ActorId} ({ActorType}) lost its node: the cluster chose this node to build incarnation {Incarnation}")]
    public static partial void ActorRestartingHere(this ILogger logger, TaskId actorId, string actorType, long incarnation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor {ActorId} ('{Name}') was held here and stays here, but its name could not be registered as this node's live actor: {Reason}. Its name stays taken, listed as pending here")]
    public static partial void HeldActorNotMarkedAlive(this ILogger logger, TaskId actorId, string? name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Process} (pid {Pid}) started from job package {Package}")]
    public static partial void PackageWorkerStarted(this ILogger logger, int process, int pid, string package);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker pool {Package} grows by one worker: {FreeCpus} CPUs are free that no worker of it can give a task beside its actors")]
    public static partial void PoolGrew(this ILogger logger, string package, double freeCpus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Process} (pid {Pid}) of pool {Package} stops: idle for {IdleTimeout} while the pool had more than its {Size} workers, and holding nothing")]
    public static partial void WorkerStoppedIdle(this ILogger logger, int process, int pid, string package, TimeSpan idleTimeout, int size);

    [LoggerMessage(Level = LogLevel.Error, Message = "A sweep for idle workers failed; the next one tries again")]
    public static partial void IdleSweepFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Object {ObjectId} ({Size} bytes) was being written by process {Process}, which died before sealing it: its room is freed")]
    public static partial void UnsealedObjectAborted(this ILogger logger, ObjectId objectId, long size, int process);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Process} failed to start: {Reason}")]
    public static partial void WorkerFailedToStart(this ILogger logger, int process, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection of process {Process} failed")]
    public static partial void ConnectionFailed(this ILogger logger, int process, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection refused: {Reason}")]
    public static partial void ConnectionRefused(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed connection of process {Process}: {Reason}")]
    public static partial void ConnectionBroken(this ILogger logger, int process, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed the link to node {Peer:x16}: {Reason}")]
    public static partial void PeerConnectionBroken(this ILogger logger, ulong peer, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The link to node {Peer:x16} failed")]
    public static partial void PeerConnectionFailed(this ILogger logger, ulong peer, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spilled {Objects} objects ({Bytes} bytes) to {File}; {Kept} stayed in memory (pinned or freed meanwhile)")]
    public static partial void SpillPassDone(this ILogger logger, int objects, long bytes, string file, int kept);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Objects} restored objects ({Bytes} bytes) left memory with no write: their spill copy was kept")]
    public static partial void KeptCopiesEvicted(this ILogger logger, int objects, long bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Objects} secondary copies of other nodes' objects ({Bytes} bytes) left memory with no write: their primaries hold them")]
    public static partial void SecondaryCopiesEvicted(this ILogger logger, int objects, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Copying object {ObjectId} from node {Node:x16} failed: {Reason}")]
    public static partial void PullFailed(this ILogger logger, ObjectId objectId, ulong node, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spilling {Objects} objects ({Bytes} bytes) to {Directory} failed; they stay in memory: {Reason}")]
    public static partial void SpillFailed(this ILogger logger, int objects, long bytes, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Restoring object {ObjectId} ({Bytes} bytes) from {File} failed: {Reason}")]
    public static partial void RestoreFailed(this ILogger logger, ObjectId objectId, long bytes, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Create of object {ObjectId} ({Bytes} bytes) by process {Process} timed out after {Waited}: store full")]
    public static partial void CreateTimedOut(this ILogger logger, ObjectId objectId, long bytes, int process, TimeSpan waited);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Collection round {Round} ended; {Unanswered} runtimes did not answer in time")]
    public static partial void RoundEnded(this ILogger logger, long round, int unanswered);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store pressure loop failed; it goes on")]
    public static partial void PressureLoopFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restore of object {ObjectId} ({Bytes} bytes) timed out after {Waited}: store full")]
    public static partial void RestoreTimedOut(this ILogger logger, ObjectId objectId, long bytes, TimeSpan waited);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A driver joined as process {Process} (pid {Pid})")]
    public static partial void DriverAttached(this ILogger logger, int process, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task events could not be reported to the control service ({Reason}); the task table misses them, and reports go on")]
    public static partial void TaskEventsNotReported(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused process {Process}: {Reason}")]
    public static partial void AccessDenied(this ILogger logger, int process, string reason);
}
