using Plexus.Cli.Status;
using Plexus.Control;
using Spectre.Console;

namespace Plexus.Cli.State;

/// <summary><c>plexus list objects</c> and <c>plexus memory</c> for people: sizes in KiB/MiB, ids shortened as the other listings shorten them.</summary>
internal static class ObjectTables
{
    public static void Objects(ObjectListing listing, IAnsiConsole console)
    {
        var table = new Table().Title("Objects").AddColumns("object", "job", "node", "size", "where", "copy", "owner pid", "pins", "call site");
        foreach (var o in listing.Objects)
        {
            table.AddRow(
                StateTables.Short(o.ObjectId), StateTables.Short(o.JobId), StateTables.Short(o.NodeId), ByteSize.Format(o.Size), o.Location,
                o.IsHeld ? $"refs {o.Handles}, tasks {o.PendingTasks}, borrowers {o.Borrowers}" : o.IsCopy ? $"copy of {StateTables.Short(o.PrimaryNodeId)}" : "primary",
                StateTables.Number(o.OwnerPid), StateTables.Number(o.Pins), Markup.Escape(o.CallSite));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"{listing.Objects.Count} of {listing.Total} object(s) {(listing.Processes.Count > 0 ? "in the stores and the processes" : "in the stores")}");
        Processes(listing.Processes, listing.SilentNodes, console);
    }

    // What each process said it holds (with --all), and the nodes that did not say.
    private static void Processes(IReadOnlyList<ProcessObjects> processes, IReadOnlyList<string> silentNodes, IAnsiConsole console)
    {
        if (processes.Count > 0)
        {
            var table = new Table().Title("Held by processes").AddColumns("node", "process", "pid", "kind", "inline", "inline bytes", "stored", "pending", "borrowed", "failed");
            foreach (var p in processes)
            {
                table.AddRow(
                    StateTables.Short(p.NodeId), StateTables.Number(p.Process), StateTables.Number(p.Pid), p.IsDriver ? "driver" : "worker",
                    p.Answered ? StateTables.Number(p.InlineObjects) : "no answer", ByteSize.Format(p.InlineBytes), StateTables.Number(p.StoredObjects),
                    StateTables.Number(p.PendingObjects), StateTables.Number(p.BorrowedObjects), StateTables.Number(p.FailedObjects));
            }

            console.Write(table);
        }

        foreach (var node in silentNodes)
        {
            console.MarkupLineInterpolated($"node {StateTables.Short(node)} did not answer in time: its processes are not counted");
        }
    }

    public static void Memory(ClusterMemoryReport report, IAnsiConsole console)
    {
        var nodes = new Table().Title("Stores").AddColumns("node", "capacity", "used", "spilled", "objects");
        foreach (var node in report.Nodes)
        {
            nodes.AddRow(
                StateTables.Short(node.NodeId), ByteSize.Format(node.CapacityBytes), ByteSize.Format(node.UsedBytes), ByteSize.Format(node.SpilledBytes),
                StateTables.Number(node.ObjectCount));
        }

        console.Write(nodes);
        var key = report.GroupBy switch
        {
            MemoryGrouping.Job => "job",
            MemoryGrouping.CallSite => "call site",
            _ => "node",
        };
        var groups = new Table().Title($"By {key}").AddColumns(key, "bytes", "objects", "spilled", "held by processes");
        foreach (var group in report.Groups)
        {
            groups.AddRow(
                Markup.Escape(group.Key), ByteSize.Format(group.Bytes), StateTables.Number(group.Objects), ByteSize.Format(group.SpilledBytes),
                ByteSize.Format(group.HeldBytes));
        }

        console.Write(groups);
        Processes(report.Processes, report.SilentNodes, console);
    }
}
