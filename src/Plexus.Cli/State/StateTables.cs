using System.Globalization;
using Plexus.Control;
using Spectre.Console;

namespace Plexus.Cli.State;

/// <summary><c>plexus list</c> and <c>plexus summary</c> for people: one table per listing, ids shortened to their last 8 hex digits.</summary>
internal static class StateTables
{
    public static void Tasks(TaskPage page, IAnsiConsole console)
    {
        var table = new Table().Title("Tasks").AddColumns("task", "name", "state", "attempt", "node", "pid", "submitted", "took", "reason");
        foreach (var task in page.Tasks)
        {
            table.AddRow(
                Short(task.TaskId), Markup.Escape(task.Name), task.State.ToString(), Number(task.Attempt), Short(task.NodeId), Number(task.WorkerPid),
                task.SubmittedAt.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
                task.StartedAt is { } start ? Seconds((task.EndedAt ?? DateTimeOffset.UtcNow) - start) : "",
                Markup.Escape(Join(task.ErrorType, task.Reason)));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"{page.Tasks.Count} of {page.Total} task(s)");
        if (page.NextPageToken is { } next)
        {
            console.MarkupLineInterpolated($"more: --page-token {next}");
        }
    }

    public static void Actors(IReadOnlyList<ActorEntry> actors, IAnsiConsole console)
    {
        var table = new Table().Title("Actors").AddColumns("actor", "class", "name", "namespace", "state", "node", "restarts", "reason");
        foreach (var actor in actors)
        {
            table.AddRow(
                Short(actor.ActorId), Markup.Escape(actor.ClassName), Markup.Escape(actor.Name ?? ""), Markup.Escape(actor.Namespace), actor.State,
                Short(actor.NodeId), Number(actor.Restarts), Markup.Escape(actor.DeathReason ?? ""));
        }

        console.Write(table);
    }

    public static void Workers(IReadOnlyList<WorkerEntry> workers, IAnsiConsole console)
    {
        var table = new Table().Title("Workers").AddColumns("node", "process", "pid", "state", "tasks", "actors", "package");
        foreach (var worker in workers)
        {
            table.AddRow(
                Short(worker.NodeId), Number(worker.Process), Number(worker.Pid), worker.State, Number(worker.CurrentTasks.Count), Number(worker.Actors),
                Short(worker.Package));
        }

        console.Write(table);
    }

    public static void Nodes(IReadOnlyList<NodeEntry> nodes, IAnsiConsole console)
    {
        var table = new Table().Title("Nodes").AddColumns("node", "address", "state", "CPU", "joined");
        foreach (var node in nodes)
        {
            table.AddRow(
                Short(node.NodeId), Markup.Escape(node.Address), node.State,
                $"{node.ResourceUsage.GetValueOrDefault("CPU"):0.##}/{node.Resources.GetValueOrDefault("CPU"):0.##}",
                node.RegisteredAt.ToString("u", CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    public static void Jobs(IReadOnlyList<JobEntry> jobs, IAnsiConsole console)
    {
        var table = new Table().Title("Jobs").AddColumns("job", "entry", "state", "driver pid", "started", "took");
        foreach (var job in jobs)
        {
            table.AddRow(
                job.JobId, Markup.Escape(job.Entry), job.State, Number(job.DriverPid), job.StartTime.ToString("u", CultureInfo.InvariantCulture),
                Seconds((job.EndTime ?? DateTimeOffset.UtcNow) - job.StartTime));
        }

        console.Write(table);
    }

    public static void Summary(IReadOnlyList<FunctionTaskCounts> functions, IAnsiConsole console)
    {
        var states = Enum.GetValues<ClusterTaskState>().Where(s => functions.Any(f => f.Counts.ContainsKey(s))).ToList();
        var table = new Table().Title("Tasks by function").AddColumn("function");
        foreach (var state in states)
        {
            table.AddColumn(new TableColumn(state.ToString()).RightAligned());
        }

        foreach (var function in functions)
        {
            table.AddRow([Markup.Escape(function.Name.Length == 0 ? "(unnamed)" : function.Name), .. states.Select(s => Number(function.Counts.GetValueOrDefault(s)))]);
        }

        console.Write(table);
    }

    internal static string Short(string? id) => id is null ? "" : id.Length > 8 ? id[^8..] : id;

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan duration) => $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private static string Join(string? type, string? reason) => type is null ? reason ?? "" : $"{type}: {reason}";
}
