using System.Globalization;
using Plexus.Control;
using Spectre.Console;

namespace Plexus.Cli.Status;

/// <summary>
/// <c>plexus status</c> for people: a table of nodes (one column per resource, <c>used/total</c>,
/// CPU and object store memory first), a table of jobs, and a line for each piece of work no node
/// of the cluster can run.
/// </summary>
internal static class StatusRenderer
{
    public const string Cpu = "CPU";
    public const string ObjectStoreMemory = "object_store_memory";

    public static void Render(StatusReport report, IAnsiConsole console, DateTimeOffset now)
    {
        console.MarkupLineInterpolated($"[bold]Cluster[/] at {report.ControlAddress}: {report.Nodes.Count(n => n.State == "ALIVE")} node(s) alive, {report.Jobs.Count(j => j.EndUnixMs is null)} job(s) running");
        if (report.DashboardUrl is { } dashboard)
        {
            console.MarkupLineInterpolated($"[bold]Dashboard[/]: {dashboard}");
        }

        console.Write(NodeTable(report.Nodes));
        console.Write(JobTable(report.Jobs, now));
        foreach (var node in report.Nodes)
        {
            foreach (var line in node.Infeasible)
            {
                console.MarkupLineInterpolated($"[yellow]infeasible[/] (queued at node {ShortId(node.NodeId)}): {line}");
            }
        }
    }

    /// <summary>The resource names of all nodes: CPU, then the object store's memory, then the rest by name.</summary>
    public static IReadOnlyList<string> ResourceColumns(IEnumerable<NodeStatus> nodes) =>
        nodes.SelectMany(n => n.Resources.Keys)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(name => name switch { Cpu => 0, ObjectStoreMemory => 1, _ => 2 })
            .ThenBy(name => name, StringComparer.Ordinal)
            .ToList();

    private static Table NodeTable(IReadOnlyList<NodeStatus> nodes)
    {
        var columns = ResourceColumns(nodes);
        var table = new Table().Title("Nodes").AddColumns("node", "role", "address", "state", "pid");
        foreach (var name in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        }

        table.AddColumn(new TableColumn("heartbeat").RightAligned());
        foreach (var node in nodes)
        {
            var cells = new List<string>
            {
                ShortId(node.NodeId),
                node.Role,
                Markup.Escape(node.Address),
                node.State == "ALIVE" ? "[green]ALIVE[/]" : "[red]DEAD[/]",
                node.Pid.ToString(CultureInfo.InvariantCulture),
            };
            cells.AddRange(columns.Select(name => UsedOfTotal(node, name)));
            cells.Add(Age(TimeSpan.FromMilliseconds(node.HeartbeatAgeMs)) + " ago");
            table.AddRow(cells.ToArray());
        }

        return table;
    }

    private static Table JobTable(IReadOnlyList<JobStatus> jobs, DateTimeOffset now)
    {
        var table = new Table().Title("Jobs").AddColumns("job", "state", "entry", "start", "duration");
        foreach (var job in jobs)
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(job.StartUnixMs);
            var end = job.EndUnixMs is { } endMs ? DateTimeOffset.FromUnixTimeMilliseconds(endMs) : now;
            table.AddRow(
                Markup.Escape(job.JobId),
                job.EndUnixMs is null ? "[green]RUNNING[/]" : "FINISHED",
                Markup.Escape(job.Entry),
                start.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Age(end - start));
        }

        return table;
    }

    private static string UsedOfTotal(NodeStatus node, string name)
    {
        if (!node.Resources.TryGetValue(name, out var total))
        {
            return "-";
        }

        var used = node.Used.GetValueOrDefault(name);
        return name == ObjectStoreMemory
            ? $"{ByteSize.Format(used)} / {ByteSize.Format(total)}"
            : string.Create(CultureInfo.InvariantCulture, $"{used:0.##}/{total:0.##}");
    }

    private static string ShortId(string nodeId) => nodeId.Length > 8 ? nodeId[..8] : nodeId;

    private static string Age(TimeSpan age) => age switch
    {
        { TotalSeconds: < 1 } => $"{age.TotalMilliseconds:0} ms",
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:0.#} s"),
        { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min {age.Seconds} s",
        _ => $"{(int)age.TotalHours} h {age.Minutes} min",
    };
}
