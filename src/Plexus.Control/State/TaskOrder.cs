using System.Runtime.InteropServices;

namespace Plexus.Control.State;

/// <summary>
/// Every task of the table in listing order, (<see cref="TaskSlot.OrderTime"/>, <see cref="TaskSlot.Sequence"/>):
/// a page from a cursor is a binary search and a walk, so a deep page costs what a first one does.
/// The only order the table keeps as tasks come: filters (job, status, node, name) are checked
/// task by task when a query walks it, so a task's steps cost no index updates, only queries pay.
/// </summary>
/// <remarks>
/// Entries are values naming a slot, never moved: a task forgotten or moved in the order (an
/// earlier step arrived late) leaves a stale entry behind, told apart by the slot's sequence and
/// order time no longer matching it, and skipped; stale entries are swept once they outnumber the
/// live ones. Tasks arrive roughly in time order (nodes report about once a second), so an
/// insertion lands near the end and moves few entries.
/// </remarks>
internal sealed class TaskOrder
{
    private readonly List<Entry> _entries = [];
    // Entries whose task left the order, still in _entries until the next sweep.
    private int _stale;

    /// <summary>How many tasks the order holds.</summary>
    public int Count => _entries.Count - _stale;

    /// <summary>The entries, stale ones among them (see <see cref="IsCurrent"/>), in order; valid until the order changes.</summary>
    public ReadOnlySpan<Entry> Entries => CollectionsMarshal.AsSpan(_entries);

    /// <summary>Enters the task in <paramref name="slot"/> at its place, by its order time and sequence now.</summary>
    public void Add(int slot, in TaskSlot task)
    {
        var entry = new Entry(task.OrderTime, task.Sequence, slot);
        var at = _entries.Count;
        // From the end: most tasks are the newest.
        while (at > 0 && Compare(_entries[at - 1], entry.Time, entry.Sequence) > 0)
        {
            at--;
        }

        _entries.Insert(at, entry);
    }

    /// <summary>A task left the order (forgotten, or entered again at another place): its entry is now stale.</summary>
    public void Left(TaskSlots slots)
    {
        _stale++;
        if (_stale > 1024 && _stale > _entries.Count / 2)
        {
            _entries.RemoveAll(e => !IsCurrent(e, slots));
            _stale = 0;
        }
    }

    /// <summary>Whether <paramref name="entry"/> is its task's place now (its slot was not freed, reused or reordered since).</summary>
    public static bool IsCurrent(in Entry entry, TaskSlots slots)
    {
        ref readonly var task = ref slots[entry.Slot];
        return task.Sequence == entry.Sequence && task.OrderTime == entry.Time;
    }

    /// <summary>The index of the first entry after <paramref name="position"/> (a time and sequence); 0 when null.</summary>
    public int FirstAfter((long Time, long Sequence)? position)
    {
        if (position is not { } p)
        {
            return 0;
        }

        int low = 0, high = _entries.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (Compare(_entries[mid], p.Time, p.Sequence) <= 0)
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

    private static int Compare(in Entry e, long time, long sequence) => e.Time != time ? e.Time.CompareTo(time) : e.Sequence.CompareTo(sequence);

    /// <summary>A task's place: its order time and sequence when entered, and its slot.</summary>
    internal readonly record struct Entry(long Time, long Sequence, int Slot);
}
