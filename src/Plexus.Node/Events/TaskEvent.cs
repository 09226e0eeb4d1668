using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// One step of a task or actor call, as recorded on the hot path: numbers, and references only to
/// what lives long anyway, nothing formatted. Names, reasons and pids are worked out when a batch
/// is reported, off the hot path (<see cref="TaskEventReports"/>).
/// </summary>
/// <remarks>
/// An event holds no reference to the task's spec or the call (with their arguments) for the steps
/// every task takes: the ring keeps events until the next report, about a second, and a spec held
/// that long outlives the collections of the runtime's short-lived garbage, so every task's spec
/// would be copied into the older generations and collected there, at a cost that grows with the
/// rate of tasks. Only the rare steps that say why a task waits keep what they describe.
/// </remarks>
/// <param name="Timestamp">When, in <see cref="TimeProvider.GetTimestamp"/> ticks of the node's clock.</param>
/// <param name="Kind">Which step.</param>
/// <param name="Task">The task's or call's id.</param>
/// <param name="Attempt">Which attempt; -1 when the node does not know it (an actor call's answer), so the attempt seen last is meant.</param>
/// <param name="Subject">
/// What names it and, for a step that says why it waits, what it waits for: the name it was given
/// (a string); its function or method (a <see cref="FunctionDescriptor"/>, which runtimes describe
/// once per function); the <see cref="TaskSpec"/> of a task waiting for resources or infeasible
/// (what it asks for); the <c>TaskWaitingForArgs</c> note. Null for an end known by id only.
/// </param>
/// <param name="Actor">The actor called, for an actor call's steps; default otherwise.</param>
/// <param name="Worker">The worker's process number on this node for the steps on a worker; 0 otherwise.</param>
/// <param name="Error">Why it failed, for <see cref="TaskEventKind.Failed"/>.</param>
/// <param name="Peer">The node it was sent to, for <see cref="TaskEventKind.Forwarded"/>.</param>
internal readonly record struct TaskEvent(
    long Timestamp, TaskEventKind Kind, TaskId Task, int Attempt, object? Subject, TaskId Actor, int Worker, ErrorInfo? Error, ulong Peer);
