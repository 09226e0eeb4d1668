namespace Plexus.Node;

/// <summary>
/// Sums a store's objects by job and picks its largest, for the state API's object listing and
/// memory report. One pass over the store under the node's lock, about once a second: the
/// totals are exact whatever the store holds, the listing bounded, so a store of a million small
/// objects costs the head what one of a thousand does.
/// </summary>
internal static class StoreSummary
{
    /// <summary>How many objects a node lists per report, largest first: what the memory report is about.</summary>
    public const int ObjectsReported = 1000;

    /// <summary>Takes the snapshot. <paramref name="pidOf"/> maps an owner process of this node to its pid (0 when not known).</summary>
    public static StoreSnapshot Take(
        IEnumerable<StoredObject> objects, long capacity, long used, int maxObjects, Func<int, int> pidOf)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxObjects);
        var jobs = new Dictionary<JobId, JobStoreTotals>();
        // A min-heap on size: its root is the smallest of the largest seen so far, the one to replace.
        var largest = new PriorityQueue<StoredObject, long>(maxObjects + 1);
        long spilled = 0;
        var count = 0;
        foreach (var stored in objects)
        {
            count++;
            var onDiskOnly = stored.State is StoredObjectState.Spilled or StoredObjectState.Restoring;
            if (!jobs.TryGetValue(stored.Id.Task.Job, out var totals))
            {
                totals = new JobStoreTotals();
                jobs.Add(stored.Id.Task.Job, totals);
            }

            totals.Bytes += stored.Size;
            totals.Objects++;
            if (onDiskOnly)
            {
                totals.SpilledBytes += stored.Size;
                spilled += stored.Size;
            }

            if (maxObjects > 0)
            {
                largest.Enqueue(stored, stored.Size);
                if (largest.Count > maxObjects)
                {
                    largest.Dequeue();
                }
            }
        }

        var listed = new ObjectSnapshot[largest.Count];
        for (var i = listed.Length - 1; i >= 0; i--)
        {
            var stored = largest.Dequeue();
            // Owners of other nodes are negative numbers here (ObjectOwners): their pids are not this node's to know.
            var pid = stored.Owner >= 0 ? pidOf(stored.Owner) : 0;
            listed[i] = new ObjectSnapshot(stored.Id, stored.Size, stored.State, stored.Copy?.Primary, stored.Owner, pid, stored.Pins);
        }

        return new StoreSnapshot(capacity, used, spilled, count, jobs, listed);
    }
}
