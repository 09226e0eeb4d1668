using Plexus.Protocol.Messages;

namespace Plexus.Core.References;

/// <summary>
/// Sums a reference table by kind and lists its largest entries, for the state API's object
/// listing and memory report (docs/ARCHITECTURE.md, "Objects and memory"). Taken only when someone
/// asks, under the table's lock: one pass over the entries, each a few reads and at most a heap
/// step of log(largest), so a table of a million entries holds the lock for tens of milliseconds
/// and one of a thousand for microseconds. Nothing is kept between summaries.
/// </summary>
internal static class ReferenceSummaries
{
    /// <summary>The summary of <paramref name="entries"/>, listing at most <paramref name="largest"/> of those not in a store.</summary>
    /// <remarks>
    /// Stored values are counted but not listed: their nodes' stores list them already, and being
    /// the large ones they would crowd out the small values only their owners know of. The
    /// entries not in a store are summed per job (the first <see cref="ReferenceSummary.MaxJobs"/> jobs).
    /// </remarks>
    public static ReferenceSummary Take(IEnumerable<RefEntry> entries, int largest)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(largest);
        // Indexed by HeldKind (1..5).
        var counts = new long[Enum.GetValues<HeldKind>().Length + 1];
        var bytes = new long[counts.Length];
        var jobs = new Dictionary<JobId, HeldJobTotals>();
        // A min-heap on size: its root is the smallest of the largest seen so far, the one to replace.
        var top = new PriorityQueue<RefEntry, long>(Math.Min(largest, 1024) + 1);
        foreach (var entry in entries)
        {
            if (entry.IsOwned && entry.Freed)
            {
                // Dropped as its value arrives: it is nobody's any more.
                continue;
            }

            var (kind, size) = KindOf(entry);
            counts[(int)kind]++;
            bytes[(int)kind] += size;
            var job = entry.Id.Task.Job;
            if (kind != HeldKind.Stored && (jobs.Count < ReferenceSummary.MaxJobs || jobs.ContainsKey(job)))
            {
                var totals = jobs.GetValueOrDefault(job, new HeldJobTotals(job, 0, 0, 0));
                jobs[job] = kind == HeldKind.Inline
                    ? totals with { Objects = totals.Objects + 1, InlineObjects = totals.InlineObjects + 1, InlineBytes = totals.InlineBytes + size }
                    : totals with { Objects = totals.Objects + 1 };
            }

            if (kind != HeldKind.Stored && largest > 0)
            {
                top.Enqueue(entry, size);
                if (top.Count > largest)
                {
                    top.Dequeue();
                }
            }
        }

        var listed = new HeldReference[top.Count];
        for (var i = listed.Length - 1; i >= 0; i--)
        {
            listed[i] = Describe(top.Dequeue());
        }

        return new ReferenceSummary
        {
            Kinds = [.. Enum.GetValues<HeldKind>().Where(k => counts[(int)k] > 0).Select(k => new HeldTotals(k, counts[(int)k], bytes[(int)k]))],
            Jobs = [.. jobs.Values],
            Largest = listed,
        };
    }

    private static HeldReference Describe(RefEntry entry)
    {
        var (kind, size) = KindOf(entry);
        var borrowers = 0;
        foreach (var count in entry.Borrowers?.Values ?? Enumerable.Empty<int>())
        {
            borrowers += count > 0 ? 1 : 0;
        }

        return new HeldReference
        {
            Id = entry.Id,
            Kind = kind,
            Size = size,
            Handles = entry.Handles,
            PendingTasks = entry.PendingTasks,
            ContainedIn = entry.ContainedIn,
            Borrowers = borrowers,
        };
    }

    private static (HeldKind Kind, long Size) KindOf(RefEntry entry)
    {
        if (!entry.IsOwned)
        {
            var fetched = entry.Fetched?.Task;
            return (HeldKind.Borrowed, fetched is { IsCompletedSuccessfully: true } ? fetched.Result.Size : 0);
        }

        return entry.Known switch
        {
            { Location: ValueLocation.Inline } value => (HeldKind.Inline, value.Size),
            { Location: ValueLocation.Stored } value => (HeldKind.Stored, value.Size),
            { Location: ValueLocation.Failed } => (HeldKind.Failed, 0),
            // Not made yet, or (a future constructor argument) made elsewhere.
            _ => (HeldKind.Pending, 0),
        };
    }
}
