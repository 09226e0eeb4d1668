using System.Globalization;
using System.Text;

namespace Plexus;

/// <summary>Where an object's value is, as a memory report shows it.</summary>
public enum ObjectResidence
{
    /// <summary>The task that makes it has not finished.</summary>
    Pending,
    /// <summary>Small: kept in its owner's process and sent inline.</summary>
    Inline,
    /// <summary>In the node's shared-memory store.</summary>
    SharedMemory,
    /// <summary>Spilled to the node's local disk; read back on access.</summary>
    Spilled,
    /// <summary>The task that should make it failed.</summary>
    Failed,
}

/// <summary>One live object: who owns it, how big it is, where it is and what keeps it alive.</summary>
/// <param name="Id">The object.</param>
/// <param name="Owner">The process that owns it.</param>
/// <param name="Size">Encoded bytes (0 while pending).</param>
/// <param name="Residence">Where the value is.</param>
/// <param name="LocalHandles">Live <see cref="ObjectRef"/> handles in the owner's process.</param>
/// <param name="PendingTasks">Submitted tasks, not yet finished, that take it as an argument.</param>
/// <param name="ContainedIn">Live objects whose values contain a ref to it.</param>
/// <param name="Borrowers">Other processes that hold a ref to it.</param>
/// <param name="Pins">Readers holding its bytes in shared memory (views, running tasks' arguments).</param>
/// <param name="CallSite">The code that created it, when <see cref="PlexusOptions.RecordCallSites"/> is on.</param>
public sealed record ObjectMemoryInfo(
    ObjectId Id, ProcessAddress Owner, long Size, ObjectResidence Residence,
    int LocalHandles, int PendingTasks, int ContainedIn, IReadOnlyList<ProcessAddress> Borrowers, int Pins, string? CallSite);

/// <summary>
/// Every live object in the cluster and the store's totals: what <c>plexus memory</c> prints, for
/// finding what holds memory when it grows.
/// </summary>
public sealed record MemoryReport(
    IReadOnlyList<ObjectMemoryInfo> Objects, long StoreCapacity, long StoreUsed, long SpilledBytes, int SpillFiles)
{
    /// <summary>The report as a table, one object per line, largest first.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"store: {Megabytes(StoreUsed)} of {Megabytes(StoreCapacity)} in shared memory, {Megabytes(SpilledBytes)} spilled in {SpillFiles} files; {Objects.Count} objects");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"object",-44} {"owner",-8} {"size",12} {"where",-12} {"local",5} {"tasks",5} {"in",4} {"pins",4}  borrowers / call site");
        foreach (var o in Objects.OrderByDescending(o => o.Size).ThenBy(o => o.Id.ToString(), StringComparer.Ordinal))
        {
            var borrowers = string.Join(",", o.Borrowers.Select(b => b.Process.ToString(CultureInfo.InvariantCulture)));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{o.Id,-44} {o.Owner.Process,-8} {o.Size,12} {o.Residence,-12} {o.LocalHandles,5} {o.PendingTasks,5} {o.ContainedIn,4} {o.Pins,4}  {(borrowers.Length > 0 ? "[" + borrowers + "] " : string.Empty)}{o.CallSite}");
        }

        return text.ToString();
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0 'MiB'", CultureInfo.InvariantCulture);
}
