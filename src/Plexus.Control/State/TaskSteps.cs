using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>What each reported step means for a task's status, and how far along an attempt it is.</summary>
internal static class TaskSteps
{
    /// <summary>The status a step puts a task in; an actor call has no start of its own, so it runs once its actor's worker has it.</summary>
    public static Proto.TaskStatus StatusOf(Proto.TaskEventKind kind, bool actorCall) => kind switch
    {
        Proto.TaskEventKind.EventSubmitted or Proto.TaskEventKind.EventForwarded or Proto.TaskEventKind.EventReceived => Proto.TaskStatus.Submitted,
        Proto.TaskEventKind.EventQueued => Proto.TaskStatus.PendingWorker,
        Proto.TaskEventKind.EventWaitingForResources => Proto.TaskStatus.PendingResources,
        Proto.TaskEventKind.EventInfeasible => Proto.TaskStatus.Infeasible,
        Proto.TaskEventKind.EventDispatched => actorCall ? Proto.TaskStatus.Running : Proto.TaskStatus.Dispatched,
        Proto.TaskEventKind.EventStarted => Proto.TaskStatus.Running,
        Proto.TaskEventKind.EventFinished => Proto.TaskStatus.Finished,
        Proto.TaskEventKind.EventFailed => Proto.TaskStatus.Failed,
        Proto.TaskEventKind.EventPendingArgs => Proto.TaskStatus.PendingArgs,
        _ => throw new ArgumentException($"events.kind {kind} is not a task step this service knows."),
    };

    /// <summary>
    /// Whether a step of attempt <paramref name="attempt"/>, at <paramref name="time"/>, moves a
    /// task on: a later attempt always does, an earlier one never; within one attempt a step further
    /// along does (nodes' clocks differ a little, and reports arrive out of order), a step back only
    /// when it came later (an infeasible task queued once a node joined), and nothing leaves an end.
    /// </summary>
    public static bool Advances(in TaskSlot record, int attempt, Proto.TaskStatus status, long time)
    {
        if (attempt != record.Attempt)
        {
            return attempt > record.Attempt;
        }

        if (record.IsTerminal)
        {
            return false;
        }

        if (status == Proto.TaskStatus.PendingArgs)
        {
            // The owner's note comes before every other step of the task, whatever the clocks of the nodes say:
            // it applies to a record no step has set yet (made for this event) or to an earlier note only.
            return record.Status == Proto.TaskStatus.PendingArgs || record.StatusTime == long.MinValue;
        }

        return Rank(status) > Rank(record.Status) || time >= record.StatusTime;
    }

    // How far along a status is: its number, but waiting for arguments comes before everything (it was added last).
    private static int Rank(Proto.TaskStatus status) => status == Proto.TaskStatus.PendingArgs ? 0 : (int)status;
}

/// <summary>Task statuses by the names the protocol gives them ("RUNNING", "PENDING_RESOURCES"), as listings and summaries show them.</summary>
internal static class TaskStatusNames
{
    private static readonly Google.Protobuf.Reflection.EnumDescriptor Descriptor =
        Proto.StateReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("TaskStatus");

    public static string Of(Proto.TaskStatus status) => Descriptor.FindValueByNumber((int)status)?.Name ?? status.ToString();

    /// <summary>The status of a name, in any case ("running", "FINISHED"); null for no status of that name.</summary>
    public static Proto.TaskStatus? Parse(string name) =>
        Descriptor.Values.FirstOrDefault(v => v.Number != 0 && string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)) is { } value
            ? (Proto.TaskStatus)value.Number
            : null;

    /// <summary>Every status's name, for messages.</summary>
    public static IEnumerable<string> All => Descriptor.Values.Where(v => v.Number != 0).Select(v => v.Name);
}
