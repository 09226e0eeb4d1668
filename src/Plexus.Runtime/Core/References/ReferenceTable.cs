using Plexus.Core.Lineage;
using Plexus.Protocol.Messages;

namespace Plexus.Core.References;

/// <summary>
/// Every object this process owns or borrows, with why it is still referenced: local handles,
/// pending tasks that take it, objects that contain it and, for owned objects, the processes that
/// borrow it. When nothing references an object any more, an owner frees it (store copy included)
/// and a borrower tells the owner. Changes return their consequences in a <see cref="RefEffects"/>,
/// applied by the caller outside the lock. See docs/ARCHITECTURE.md, "Ownership" and "Lineage
/// reconstruction": a finished task with a stored return keeps its lineage, which keeps what the
/// task would need to run again, within <paramref name="maxLineageBytes"/>.
/// </summary>
internal sealed partial class ReferenceTable(ProcessAddress self, long maxLineageBytes = ReferenceTable.DefaultMaxLineageBytes)
{
    /// <summary>The lineage budget of an owner when none is given: 256 MiB (<c>PlexusOptions.MaxLineageBytes</c>).</summary>
    public const long DefaultMaxLineageBytes = 256L * 1024 * 1024;

    // What a record costs besides its inline arguments and the argument values it keeps in the store.
    private const long RecordOverhead = 256;

    private readonly object _lock = new();
    private readonly Dictionary<ObjectId, RefEntry> _entries = [];
    // The lineage records kept, oldest first, within the budget.
    private readonly LineageLedger _lineage = new(maxLineageBytes);
    // Owned objects that stand for an owned actor: freeing one ends its actor.
    private readonly Dictionary<ObjectId, TaskId> _anchors = [];

    /// <summary>Makes an owned object the anchor of <paramref name="actor"/>: when nothing references it any more, the actor ends.</summary>
    public void Anchor(ObjectId anchor, TaskId actor)
    {
        lock (_lock)
        {
            _anchors[anchor] = actor;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Registers a new owned object, pending until <see cref="ResolveOwned"/>.</summary>
    public RefEntry AddOwned(ObjectId id, int handles, int pendingTasks, string? callSite)
    {
        var entry = new RefEntry(id, self, owned: true)
        {
            Value = new TaskCompletionSource<ObjectValue>(TaskCreationOptions.RunContinuationsAsynchronously),
            Handles = handles,
            PendingTasks = pendingTasks,
            CallSite = callSite,
        };
        lock (_lock)
        {
            _entries[id] = entry;
        }

        return entry;
    }

    /// <summary>Forgets an owned object that could not be created (nothing else refers to it yet).</summary>
    public void Discard(ObjectId id)
    {
        lock (_lock)
        {
            _entries.Remove(id);
        }
    }

    /// <summary>
    /// One more handle to an object. Returns false when this process owned it and freed it already
    /// (the handle then resolves to "freed"). A borrowed ref seen for the first time gets an entry.
    /// </summary>
    public bool AddHandle(ObjectId id, ProcessAddress owner)
    {
        lock (_lock)
        {
            var entry = GetOrAddBorrowed(id, owner);
            if (entry is null)
            {
                return false;
            }

            entry.Handles++;
            ArgumentRefs.Record(entry);
            return true;
        }
    }

    public void ReleaseHandle(ObjectId id, RefEffects effects)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var entry) && entry.Handles > 0)
            {
                entry.Handles--;
                ReleaseIfUnreferenced(entry, effects);
            }
        }
    }

    /// <summary>Frees (or releases) an object nothing references, such as one made for a task never sent.</summary>
    public void ReleaseIfUnreferenced(ObjectId id, RefEffects effects)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var entry))
            {
                ReleaseIfUnreferenced(entry, effects);
            }
        }
    }

    /// <summary>A submitted task takes these objects as arguments until it finishes.</summary>
    public void AddPendingTask(ReadOnlySpan<NestedRef> refs)
    {
        lock (_lock)
        {
            foreach (var reference in refs)
            {
                if (GetOrAddBorrowed(reference.Id, reference.Owner) is { } entry)
                {
                    entry.PendingTasks++;
                }
            }
        }
    }

    public void ReleasePendingTask(ReadOnlySpan<NestedRef> refs, RefEffects effects)
    {
        lock (_lock)
        {
            foreach (var reference in refs)
            {
                if (_entries.TryGetValue(reference.Id, out var entry) && entry.PendingTasks > 0)
                {
                    entry.PendingTasks--;
                    ReleaseIfUnreferenced(entry, effects);
                }
            }
        }
    }

    /// <summary>
    /// The value of a ref: owned (pending or known) or fetched; null when there is no entry.
    /// <paramref name="released"/>: an owned object whose store copy was given up while only lineage
    /// needed it, which must be made again to be read (its returned value is stale).
    /// </summary>
    public Task<ObjectValue>? TryGetValue(ObjectId id, out RefEntry? borrowedToFetch, out bool released)
    {
        borrowedToFetch = null;
        released = false;
        lock (_lock)
        {
            if (!_entries.TryGetValue(id, out var entry) || entry.Freed)
            {
                return null;
            }

            if (entry.IsOwned)
            {
                released = entry.ValueReleased;
                return entry.Value!.Task;
            }

            if (entry.Fetched is null)
            {
                borrowedToFetch = entry;
                entry.Fetched = new TaskCompletionSource<ObjectValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return entry.Fetched.Task;
        }
    }

    /// <summary>
    /// Records the value of an owned object. <paramref name="granted"/>: the value came from another
    /// process, which registered this one as a borrower of the refs inside it. A value for an object
    /// freed meanwhile (or unknown) is dropped: its store copy freed, its nested refs released.
    /// </summary>
    public void ResolveOwned(ObjectValue value, bool granted, RefEffects effects)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(value.Id, out var entry) || !entry.IsOwned)
            {
                DropOrphan(value, granted, effects);
                return;
            }

            if (entry.Known is not null)
            {
                // A second value for a known object: its task ran again to make a sibling return that
                // was lost. Its grants go. Made on the node of the known copy, it replaced that copy's
                // version there and is the object's value now; made elsewhere, it is a spare, freed.
                AcceptNested(value.Nested, granted, holder: null, effects);
                if (value.Location == ValueLocation.Stored && entry.Known.Location == ValueLocation.Stored)
                {
                    if (value.Node == entry.Known.Node)
                    {
                        entry.Known = value;
                    }
                    else
                    {
                        effects.FreeStored(value.Id, value.Node);
                    }
                }

                return;
            }

            if (entry.Freed)
            {
                _entries.Remove(value.Id);
                DropOrphan(value, granted, effects);
                entry.Value!.TrySetResult(Errors.Freed(value.Id));
                return;
            }

            // Made again after a loss: the refs inside the new value are counted before the old value's go.
            var previous = entry.Recovering ? entry.Nested : null;
            entry.Recovering = false;
            entry.Known = value;
            AcceptNested(value.Nested, granted, entry, effects);
            ReleaseContained(previous, effects);
            entry.Value!.TrySetResult(value);
        }
    }

    /// <summary>Records a value fetched from its owner, which registered this process for the refs inside it.</summary>
    public void ResolveFetched(RefEntry entry, ObjectValue value, RefEffects effects)
    {
        lock (_lock)
        {
            var live = _entries.TryGetValue(entry.Id, out var current) && ReferenceEquals(current, entry);
            AcceptNested(value.Nested, granted: true, live ? entry : null, effects);
            entry.Fetched!.TrySetResult(value);
        }
    }

    /// <summary>Owner side: <paramref name="borrower"/> holds a ref to an object this process owns.</summary>
    public void AddBorrower(ObjectId id, ProcessAddress borrower, int count = 1)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var entry) && entry.IsOwned)
            {
                entry.Borrowers ??= [];
                entry.Borrowers[borrower] = entry.Borrowers.GetValueOrDefault(borrower) + count;
            }
        }
    }

    /// <summary>Owner side: a borrower dropped its last handle, ending <paramref name="count"/> registrations.</summary>
    public void ReleaseBorrower(ObjectId id, ProcessAddress borrower, int count, RefEffects effects)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(id, out var entry) || !entry.IsOwned)
            {
                return;
            }

            entry.Borrowers ??= [];
            var left = entry.Borrowers.GetValueOrDefault(borrower) - count;
            if (left == 0)
            {
                entry.Borrowers.Remove(borrower);
            }
            else
            {
                // Negative: the release overtook the grant that registers it, which is on its way.
                entry.Borrowers[borrower] = left;
            }

            ReleaseIfUnreferenced(entry, effects);
        }
    }

    /// <summary>Owner side: a process exited, so it borrows nothing any more.</summary>
    public void ForgetBorrower(ProcessAddress process, RefEffects effects)
    {
        lock (_lock)
        {
            // A node's own address stands for every process of that node (the node died or left).
            foreach (var entry in _entries.Values.Where(e => process.IsNode ? RemoveBorrowersOn(e, process.Node) : e.Borrowers?.Remove(process) == true).ToList())
            {
                ReleaseIfUnreferenced(entry, effects);
            }
        }
    }

    private static bool RemoveBorrowersOn(RefEntry entry, ulong node) =>
        entry.Borrowers is { } borrowers && borrowers.Keys.Where(b => b.Node == node).ToList() is { Count: > 0 } gone && gone.All(borrowers.Remove);

    /// <summary>
    /// Refs that reached this process in a task's arguments and that it still holds without the
    /// owner knowing: from now on they count as registered, since the task's owner registers
    /// this process when it hears the task finished.
    /// </summary>
    public NestedRef[]? TakeUnregistered(List<RefEntry>? received)
    {
        if (received is null)
        {
            return null;
        }

        List<NestedRef>? report = null;
        lock (_lock)
        {
            foreach (var entry in received)
            {
                var live = _entries.TryGetValue(entry.Id, out var current) && ReferenceEquals(current, entry);
                if (live && entry.Registrations == 0 && entry.IsReferenced)
                {
                    entry.Registrations = 1;
                    (report ??= []).Add(new NestedRef(entry.Id, entry.Owner));
                }
            }
        }

        return report?.ToArray();
    }

    /// <summary>The objects this process owns, for a memory report.</summary>
    public OwnedObjectReport[] DescribeOwned()
    {
        lock (_lock)
        {
            return [.. _entries.Values.Where(e => e.IsOwned && !e.Freed).Select(e => new OwnedObjectReport
            {
                Id = e.Id,
                Owner = e.Owner,
                Size = e.Known?.Size ?? 0,
                Location = e.Known?.Location,
                LocalHandles = e.Handles,
                PendingTasks = e.PendingTasks,
                ContainedIn = e.ContainedIn,
                Borrowers = [.. (e.Borrowers ?? []).Where(b => b.Value > 0).Select(b => new BorrowerCount(b.Key, b.Value))],
                CallSite = e.CallSite,
            })];
        }
    }

    /// <summary>A bounded summary of the table, listing at most <paramref name="largest"/> entries (<see cref="ReferenceSummaries"/>).</summary>
    public ReferenceSummary Summarize(int largest)
    {
        lock (_lock)
        {
            return ReferenceSummaries.Take(_entries.Values, largest);
        }
    }

    /// <summary>Counts of one entry, for tests and reports; null when there is none.</summary>
    public (int Handles, int PendingTasks, int ContainedIn, int Borrowers, int Registrations)? Inspect(ObjectId id)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(id, out var e)
                ? (e.Handles, e.PendingTasks, e.ContainedIn, e.Borrowers?.Values.Sum(c => Math.Max(0, c)) ?? 0, e.Registrations)
                : null;
        }
    }

    private RefEntry? GetOrAddBorrowed(ObjectId id, ProcessAddress owner)
    {
        if (_entries.TryGetValue(id, out var entry))
        {
            return entry.Freed ? null : entry;
        }

        if (owner == self)
        {
            return null;
        }

        entry = new RefEntry(id, owner, owned: false);
        _entries[id] = entry;
        return entry;
    }

    // The refs inside a value now held by `holder` (or by nobody: then they are released at once).
    private void AcceptNested(NestedRef[]? nested, bool granted, RefEntry? holder, RefEffects effects)
    {
        if (nested is null)
        {
            return;
        }

        foreach (var reference in nested)
        {
            var entry = GetOrAddBorrowed(reference.Id, reference.Owner);
            if (entry is null)
            {
                continue;
            }

            if (granted && !entry.IsOwned)
            {
                entry.Registrations++;
            }

            if (holder is not null)
            {
                entry.ContainedIn++;
            }
            else
            {
                ReleaseIfUnreferenced(entry, effects);
            }
        }

        if (holder is not null)
        {
            holder.Nested = nested;
        }
    }

    private void DropOrphan(ObjectValue value, bool granted, RefEffects effects)
    {
        AcceptNested(value.Nested, granted, holder: null, effects);
        if (value.Location == ValueLocation.Stored)
        {
            effects.FreeStored(value.Id, value.Node);
        }
    }

    private void ReleaseIfUnreferenced(RefEntry entry, RefEffects effects)
    {
        if (entry.IsReferenced)
        {
            return;
        }

        if (entry.LineageRefs > 0)
        {
            // Lineage needs the object: an owned one that can be made again gives up its store
            // copy; anything else (a put, an actor call's result, a value on its way, a borrowed
            // object whose owner keeps it for this process) stays as it is.
            if (entry.IsOwned && entry.Known is { Location: ValueLocation.Stored } known && entry.Record is { Evicted: false } && !entry.Recovering)
            {
                ReleaseValue(entry, known, effects);
            }

            return;
        }

        if (entry.IsOwned && entry.Known is null && !entry.ValueReleased)
        {
            // Still pending: the value is dropped when it arrives (see ResolveOwned).
            entry.Freed = true;
            DetachRecord(entry, effects);
            return;
        }

        _entries.Remove(entry.Id);
        if (entry.IsOwned && _anchors.Remove(entry.Id, out var actor))
        {
            effects.EndActor(actor);
        }

        if (entry.IsOwned && entry.Known is { Location: ValueLocation.Stored } stored)
        {
            effects.FreeStored(entry.Id, stored.Node);
        }
        else if (!entry.IsOwned && entry.Registrations > 0)
        {
            effects.Release(entry.Owner, entry.Id, entry.Registrations);
        }

        ReleaseContained(entry, effects);
        DetachRecord(entry, effects);
    }

    // Frees an owned object's store copy and the refs inside it, keeping the entry and its lineage.
    private void ReleaseValue(RefEntry entry, ObjectValue known, RefEffects effects)
    {
        effects.FreeStored(entry.Id, known.Node);
        entry.Known = null;
        entry.ValueReleased = true;
        ReleaseContained(entry, effects);
    }

    private void ReleaseContained(RefEntry entry, RefEffects effects)
    {
        var nested = entry.Nested;
        entry.Nested = null;
        ReleaseContained(nested, effects);
    }

    private void ReleaseContained(NestedRef[]? nested, RefEffects effects)
    {
        foreach (var reference in nested ?? [])
        {
            if (_entries.TryGetValue(reference.Id, out var inner) && inner.ContainedIn > 0)
            {
                inner.ContainedIn--;
                ReleaseIfUnreferenced(inner, effects);
            }
        }
    }
}
