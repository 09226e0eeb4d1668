using System.Globalization;
using System.Text;

namespace Plexus.Data;

/// <summary>What a run did, stage by stage: returned by writes and <c>ForEachAsync</c>, and carried by the last progress report.</summary>
/// <param name="Stages">The stages, sources first.</param>
/// <param name="Elapsed">The run's wall time.</param>
public sealed record RunSummary(IReadOnlyList<StageSummary> Stages, TimeSpan Elapsed)
{
    /// <summary>Tasks submitted by the whole run.</summary>
    public long TasksSubmitted => Stages.Sum(s => s.TasksSubmitted);

    /// <summary>Tasks cancelled because the run no longer needed them (<c>Take</c>) or failed.</summary>
    public long TasksCancelled => Stages.Sum(s => s.TasksCancelled);

    /// <summary>A table: one line per stage with its time, tasks, rows and bytes.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"stage",-40} {"wall s",8} {"task s",8} {"tasks",6} {"rows",14} {"MB",10}");
        foreach (var stage in Stages)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{Truncate(stage.Name, 40),-40} {stage.Wall.TotalSeconds,8:F2} {stage.TaskSeconds,8:F2} {stage.TasksSubmitted,6} {stage.Rows,14:N0} {stage.Bytes / 1e6,10:F1}");
        }

        text.Append(CultureInfo.InvariantCulture, $"total {Elapsed.TotalSeconds:F2} s");
        return text.ToString();
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}

/// <summary>One stage of a finished run.</summary>
/// <param name="Name">The stage's name.</param>
/// <param name="Wall">From its first task's submission to its last block.</param>
/// <param name="TaskSeconds">The sum of its tasks' run times.</param>
/// <param name="TasksSubmitted">Tasks it submitted.</param>
/// <param name="TasksCancelled">Tasks it cancelled.</param>
/// <param name="Rows">Rows it made.</param>
/// <param name="Bytes">Bytes of blocks it made.</param>
public sealed record StageSummary(string Name, TimeSpan Wall, double TaskSeconds, long TasksSubmitted, long TasksCancelled, long Rows, long Bytes)
{
    /// <summary>The rows each of its finished tasks made, in the order the run read them: a task far above the others is a skewed partition.</summary>
    public IReadOnlyList<long> TaskRows { get; init; } = [];
}
