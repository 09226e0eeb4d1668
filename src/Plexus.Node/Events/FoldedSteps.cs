using Proto = Plexus.Protocol.Control;

namespace Plexus.Node;

/// <summary>
/// Folds a task's consecutive steps within one report into one event: the event's step so far
/// becomes one of its earlier steps (<c>submitted_unix_micros</c> ... <c>started_unix_micros</c>, a
/// time each) and the new step takes its place. A task run within a second is then reported as one
/// message and applied by the control service with one lookup, instead of four or five of each.
/// </summary>
/// <remarks>
/// Only the steps every task takes fold (submitted, received, queued, dispatched, started), and only
/// as the service would apply them: in that order, within one attempt, on one worker. A step whose
/// words matter beyond the next step (why a task waits for resources or cannot run, a failure, a
/// forward) is never folded: it stays an event's own step, and the task's next step starts a new
/// event. A queued step's reason is dropped when it folds, as the step after it replaces it anyway.
/// </remarks>
internal static class FoldedSteps
{
    /// <summary>
    /// Whether <paramref name="step"/> (a step of the task <paramref name="into"/> reports, recorded
    /// after its own) can follow it in the same event; if so, <paramref name="into"/>'s own step has
    /// been folded into its earlier steps and the caller writes <paramref name="step"/> over it.
    /// </summary>
    public static bool TryFold(Proto.TaskEvent into, in TaskEvent step)
    {
        var sameAttempt = step.Attempt < 0 || step.Attempt == into.Attempt;
        var sameWorker = step.Worker == 0 || into.Worker == 0 || step.Worker == into.Worker;
        if (!sameAttempt || !sameWorker || !CanHold(into, into.Kind))
        {
            return false;
        }

        var at = into.UnixMicros;
        switch (into.Kind)
        {
            case Proto.TaskEventKind.EventSubmitted:
                into.SubmittedUnixMicros = at;
                break;
            case Proto.TaskEventKind.EventReceived:
                into.ReceivedUnixMicros = at;
                break;
            case Proto.TaskEventKind.EventQueued:
                into.QueuedUnixMicros = at;
                break;
            case Proto.TaskEventKind.EventDispatched:
                into.DispatchedUnixMicros = at;
                break;
            default:
                into.StartedUnixMicros = at;
                break;
        }

        return true;
    }

    // Whether the event can fold a step of this kind: one that folds, whose place is free, with no later step folded
    // (the service applies folded steps in their fixed order, so a step folded after a later one would be applied before it).
    private static bool CanHold(Proto.TaskEvent e, Proto.TaskEventKind kind) => kind switch
    {
        Proto.TaskEventKind.EventSubmitted => e.SubmittedUnixMicros == 0 && CanHold(e, Proto.TaskEventKind.EventReceived),
        Proto.TaskEventKind.EventReceived => e.ReceivedUnixMicros == 0 && CanHold(e, Proto.TaskEventKind.EventQueued),
        Proto.TaskEventKind.EventQueued => e.QueuedUnixMicros == 0 && CanHold(e, Proto.TaskEventKind.EventDispatched),
        Proto.TaskEventKind.EventDispatched => e.DispatchedUnixMicros == 0 && CanHold(e, Proto.TaskEventKind.EventStarted),
        Proto.TaskEventKind.EventStarted => e.StartedUnixMicros == 0,
        _ => false,
    };
}
