using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>How a task that ran (or was to run) on this node ended: the <c>outcome</c> label of <c>plexus_tasks_finished_total</c>.</summary>
internal enum TaskOutcome
{
    Succeeded,
    Failed,
    Cancelled,
}

internal static class TaskOutcomes
{
    /// <summary>Every outcome, in label order.</summary>
    public static readonly TaskOutcome[] All = Enum.GetValues<TaskOutcome>();

    /// <summary>The outcome of a task whose answer carries <paramref name="error"/> (null: it returned).</summary>
    public static TaskOutcome Of(ErrorInfo? error) => error?.Kind switch
    {
        null => TaskOutcome.Succeeded,
        ErrorKind.TaskCancelled => TaskOutcome.Cancelled,
        _ => TaskOutcome.Failed,
    };

    /// <summary>The label value, as Prometheus queries name it.</summary>
    public static string Label(this TaskOutcome outcome) => outcome switch
    {
        TaskOutcome.Succeeded => "succeeded",
        TaskOutcome.Failed => "failed",
        _ => "cancelled",
    };
}
