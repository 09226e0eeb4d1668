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
                o.IsCopy ? $"copy of {StateTables.Short(o.PrimaryNodeId)}" : "primary", StateTables.Number(o.OwnerPid), StateTables.Number(o.Pins),
                Markup.Escape(o.CallSite));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"{listing.Objects.Count} of {listing.Total} object(s) in the stores");
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
        var groups = new Table().Title($"By {key}").AddColumns(key, "bytes", "objects", "spilled");
        foreach (var group in report.Groups)
        {
            groups.AddRow(Markup.Escape(group.Key), ByteSize.Format(group.Bytes), StateTables.Number(group.Objects), ByteSize.Format(group.SpilledBytes));
        }

        console.Write(groups);
    }
}
