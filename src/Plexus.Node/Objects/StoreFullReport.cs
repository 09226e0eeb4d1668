using System.Globalization;
using System.Text;

namespace Plexus.Node;

/// <summary>
/// The account a create that found no room gives the user: the bytes pinned and by whom, the
/// bytes being written, and which processes own the memory in use (whose refs the user can drop).
/// Read under the node's lock.
/// </summary>
internal static class StoreFullReport
{
    /// <summary>Who pins how many bytes (by process, running and queued tasks), what is being written, and who owns the memory in use.</summary>
    public static string Describe(IReadOnlyDictionary<int, List<(ObjectId Id, long Offset)>> pinsByProcess, LocalObjectStore store, TaskDispatcher scheduler)
    {
        var parts = new List<string>();
        var total = 0L;
        foreach (var (process, pins) in pinsByProcess.OrderBy(p => p.Key))
        {
            var bytes = pins.Sum(p => store.SizeOf(p.Id, p.Offset));
            if (bytes > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"process {process} ({(process == ProcessAddress.DriverProcess ? "the driver" : "a worker")}) {bytes} bytes"));
                total += bytes;
            }
        }

        foreach (var (process, worker) in scheduler.Workers.OrderBy(w => w.Key))
        {
            var bytes = worker.InFlight.Values.Sum(t => t.PinnedArgs.Sum(a => a.Size));
            if (bytes > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"arguments of tasks running on process {process} {bytes} bytes"));
                total += bytes;
            }
        }

        var queued = scheduler.QueuedPinnedBytes;
        if (queued > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"arguments of tasks waiting to run {queued} bytes"));
            total += queued;
        }

        var writing = store.Objects.Where(o => o.State == StoredObjectState.Writing).Sum(o => o.Size);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{total} bytes pinned");
        if (parts.Count > 0)
        {
            text.Append(" (").AppendJoin("; ", parts).Append(')');
        }

        text.Append(CultureInfo.InvariantCulture, $", {writing} bytes created and not sealed yet");
        AppendOwners(text, store);
        return text.ToString();
    }

    // Who owns the memory in use (objects in shared memory, by owner process, largest first): the
    // processes whose refs keep it, which the user can drop.
    private static void AppendOwners(StringBuilder text, LocalObjectStore store)
    {
        var owners = store.Objects
            .Where(o => o.State is StoredObjectState.Writing or StoredObjectState.InMemory or StoredObjectState.Spilling or StoredObjectState.Restoring)
            .GroupBy(o => o.Owner)
            .Select(g => (Process: g.Key, Bytes: g.Sum(o => o.Size), Count: g.Count()))
            .OrderByDescending(o => o.Bytes)
            .ToList();
        if (owners.Count == 0)
        {
            return;
        }

        text.Append("; in memory, by owner: ").AppendJoin("; ", owners.Take(5).Select(o => string.Create(CultureInfo.InvariantCulture,
            $"{Holder(o.Process)} {o.Bytes} bytes in {o.Count} objects")));
        if (owners.Count > 5)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {owners.Count - 5} more processes");
        }
    }

    // Copies of other nodes' objects are the node's own (their owners are elsewhere): pressure evicts them first.
    private static string Holder(int process) => process switch
    {
        ProcessAddress.NodeProcess => "copies of other nodes' objects",
        ProcessAddress.DriverProcess => string.Create(CultureInfo.InvariantCulture, $"process {process} (the driver)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"process {process} (a worker)"),
    };
}
