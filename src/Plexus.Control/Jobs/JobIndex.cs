using System.Diagnostics.CodeAnalysis;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Jobs;

/// <summary>
/// The job table in memory: each job by id, and every job in the order of its latest change, so
/// a reader that names the revision it has seen gets the later changes without a walk over the
/// whole history. One writer at a time (<see cref="JobTable"/>, under its write lock); readers
/// any time.
/// </summary>
/// <remarks>
/// Every change (a job added, a job finished) takes the next revision, and the entries ordered by
/// revision are exactly the changes in the order they happened, one per job. A reader's reply
/// and the revision it is complete up to are taken under one lock, so a change is either in the
/// reply or after its revision, never lost between the two. Forgetting a job is no change: a
/// reader is not told, and needs no telling (it is forgotten only after it finished, a change
/// readers saw).
/// </remarks>
internal sealed class JobIndex
{
    // Guards every field below; held for in-memory work only, never across I/O.
    private readonly Lock _lock = new();

    // Job id (lower-case hex) -> its entry. Records are never mutated; a change replaces the entry.
    private readonly Dictionary<string, JobEntry> _byId = new(StringComparer.Ordinal);

    // Every entry in ascending Revision. A change appends (revisions only grow), so the jobs
    // changed after a revision are a suffix, found by binary search.
    private readonly List<JobEntry> _byRevision = [];

    // Ids of the finished jobs, the earliest finished first: the order the history cap forgets them in.
    private readonly Queue<string> _finished = new();

    // The revision of the latest change; 0 while nothing has changed.
    private ulong _revision;

    // The StartSequence of the latest job added.
    private long _lastStartSequence;

    /// <summary>Adds the jobs recovered from the store, given in start order; call once, on an empty index.</summary>
    public void Load(IEnumerable<(string Key, Proto.JobInfo Record)> inStartOrder)
    {
        lock (_lock)
        {
            foreach (var (key, record) in inStartOrder)
            {
                Append(key, record, ++_lastStartSequence);
            }

            foreach (var entry in _byRevision.Where(IsFinished).OrderBy(static e => e.Record.EndUnixMs).ThenBy(static e => e.StartSequence))
            {
                _finished.Enqueue(entry.Key);
            }
        }
    }

    public bool TryGet(string key, [MaybeNullWhen(false)] out Proto.JobInfo record)
    {
        lock (_lock)
        {
            bool found = _byId.TryGetValue(key, out var entry);
            record = entry?.Record;
            return found;
        }
    }

    /// <summary>Adds a job, or replaces its record, as the latest change.</summary>
    public void Put(string key, Proto.JobInfo record)
    {
        lock (_lock)
        {
            long startSequence;
            if (_byId.TryGetValue(key, out var previous))
            {
                _byRevision.RemoveAt(IndexOf(previous.Revision));
                startSequence = previous.StartSequence;
            }
            else
            {
                startSequence = ++_lastStartSequence;
            }

            var entry = Append(key, record, startSequence);
            if (IsFinished(entry))
            {
                _finished.Enqueue(key);
            }
        }
    }

    /// <summary>The id of the job that finished earliest, when more than <paramref name="kept"/> jobs are finished; else null.</summary>
    public string? OldestFinishedBeyond(int kept)
    {
        lock (_lock)
        {
            return _finished.Count > kept ? _finished.Peek() : null;
        }
    }

    /// <summary>Forgets the job <see cref="OldestFinishedBeyond"/> named.</summary>
    public void ForgetOldestFinished()
    {
        lock (_lock)
        {
            string key = _finished.Dequeue();
            var entry = _byId[key];
            _byId.Remove(key);
            _byRevision.RemoveAt(IndexOf(entry.Revision));
        }
    }

    /// <summary>
    /// The jobs changed after <paramref name="revision"/>, in start order, and the revision that
    /// answer is complete up to. A revision this index never reached lists every job.
    /// </summary>
    public (IReadOnlyList<Proto.JobInfo> Jobs, ulong Revision) ChangedAfter(ulong revision)
    {
        lock (_lock)
        {
            int first = revision <= _revision ? FirstAfter(revision) : 0;
            var changed = _byRevision.GetRange(first, _byRevision.Count - first);
            changed.Sort(static (a, b) => a.StartSequence.CompareTo(b.StartSequence));
            return (changed.ConvertAll(static e => e.Record.Clone()), _revision);
        }
    }

    private static bool IsFinished(JobEntry entry) => entry.Record.State == Proto.JobState.Finished;

    private JobEntry Append(string key, Proto.JobInfo record, long startSequence)
    {
        var entry = new JobEntry(key, startSequence, ++_revision, record);
        _byId[key] = entry;
        _byRevision.Add(entry);
        return entry;
    }

    // The index in _byRevision of the entry of a revision it holds (revisions start at 1). Under the lock.
    private int IndexOf(ulong revision) => FirstAfter(revision - 1);

    // The index in _byRevision of the first entry whose revision is greater than revision. Under the lock.
    private int FirstAfter(ulong revision)
    {
        int low = 0;
        int high = _byRevision.Count;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (_byRevision[middle].Revision <= revision)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <param name="Key">The job id in lower-case hex.</param>
    /// <param name="StartSequence">
    /// Orders jobs by start. The start time has millisecond resolution, so two jobs starting
    /// within a millisecond would otherwise be listed in no defined order.
    /// </param>
    /// <param name="Revision">The revision of the job's latest change.</param>
    /// <param name="Record">The persisted record.</param>
    private sealed record JobEntry(string Key, long StartSequence, ulong Revision, Proto.JobInfo Record);
}
