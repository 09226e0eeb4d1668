using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// One step of a task or actor call, as recorded on the hot path: references to what the node
/// holds anyway (the spec or call, the error) and numbers, nothing formatted. Names, reasons and
/// pids are worked out when a batch is reported, off the hot path (<see cref="TaskEventReports"/>).
/// </summary>
/// <param name="Timestamp">When, in <see cref="TimeProvider.GetTimestamp"/> ticks of the node's clock.</param>
/// <param name="Kind">Which step.</param>
/// <param name="Task">The task's or call's id.</param>
/// <param name="Attempt">Which attempt; -1 when the node does not know it (an actor call's answer), so the attempt seen last is meant.</param>
/// <param name="Subject">The <see cref="TaskSpec"/> or <see cref="ActorCall"/>, for its name, job, actor and demand; null when the step names none.</param>
/// <param name="Worker">The worker's process number on this node for the steps on a worker; 0 otherwise.</param>
/// <param name="Error">Why it failed, for <see cref="TaskEventKind.Failed"/>.</param>
/// <param name="Peer">The node it was sent to, for <see cref="TaskEventKind.Forwarded"/>.</param>
internal readonly record struct TaskEvent(
    long Timestamp, TaskEventKind Kind, TaskId Task, int Attempt, object? Subject, int Worker, ErrorInfo? Error, ulong Peer);
