namespace Plexus.Control.State;

/// <summary>What a <see cref="TaskIndex"/> holds tasks by, which says which of a record's stamps its entries carry.</summary>
internal enum TaskIndexKind
{
    /// <summary>Every task, or a job's: membership changes only when the order does.</summary>
    Order,
    Status,
    Node,
    Name,
}

/// <summary>
/// Tasks in listing order, (<see cref="TaskRecord.OrderTime"/>, <see cref="TaskRecord.Sequence"/>):
/// a page from a cursor is a binary search and a walk, so a deep page costs what a first one does.
/// </summary>
/// <remarks>
/// Entries are never moved: a task that leaves the index (its status changed, it was evicted, it
/// was reordered) leaves a stale entry behind, told apart by its stamp (<see cref="TaskRecord.Stamp"/>),
/// and skipped; stale entries are swept once they outnumber the live ones. Tasks arrive roughly in
/// time order (nodes report about once a second), so an insertion lands near the end and moves few entries.
/// </remarks>
internal sealed class TaskIndex(TaskIndexKind kind)
{
    private readonly List<Entry> _entries = [];
    // Entries whose task left this index, still in _entries until the next sweep.
    private int _stale;

    /// <summary>How many tasks the index holds.</summary>
    public int Count => _entries.Count - _stale;

    /// <summary>Enters <paramref name="record"/> at its place (its stamp for this kind must be the new one).</summary>
    public void Add(TaskRecord record)
    {
        var entry = new Entry(record.OrderTime, record.Sequence, record.Stamp(kind), record);
        var at = _entries.Count;
        // From the end: most tasks are the newest.
        while (at > 0 && Compare(_entries[at - 1], entry.Time, entry.Sequence) > 0)
        {
            at--;
        }

        _entries.Insert(at, entry);
    }

    /// <summary>A task of this index left it (its entry is now stale).</summary>
    public void Left()
    {
        _stale++;
        if (_stale > 1024 && _stale > _entries.Count / 2)
        {
            _entries.RemoveAll(e => !IsCurrent(e));
            _stale = 0;
        }
    }

    /// <summary>The tasks after <paramref name="position"/> (a time and sequence) in order; from the first when null.</summary>
    public IEnumerable<TaskRecord> After((long Time, long Sequence)? position)
    {
        var from = position is { } p ? FirstAfter(p.Time, p.Sequence) : 0;
        for (var i = from; i < _entries.Count; i++)
        {
            if (IsCurrent(_entries[i]))
            {
                yield return _entries[i].Record;
            }
        }
    }

    private int FirstAfter(long time, long sequence)
    {
        int low = 0, high = _entries.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (Compare(_entries[mid], time, sequence) <= 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private bool IsCurrent(Entry e) => !e.Record.Removed && e.Record.Stamp(kind) == e.Stamp && e.Record.OrderTime == e.Time;

    private static int Compare(Entry e, long time, long sequence) => e.Time != time ? e.Time.CompareTo(time) : e.Sequence.CompareTo(sequence);

    private readonly record struct Entry(long Time, long Sequence, int Stamp, TaskRecord Record);
}
