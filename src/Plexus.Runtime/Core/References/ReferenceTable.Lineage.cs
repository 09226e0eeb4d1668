using Plexus.Core.Lineage;
using Plexus.Protocol.Messages;

namespace Plexus.Core.References;

/// <summary>
/// Keeping lineage (docs/ARCHITECTURE.md, "Lineage reconstruction"): the spec of a finished task
/// with a stored return is kept for its returns, and what it would need to run again is kept with
/// it, within the owner's budget; a record goes with its last return, or when evicted.
/// </summary>
internal sealed partial class ReferenceTable
{
    /// <summary>
    /// A task finished with <paramref name="returns"/>. When one of them is stored (so it can be
    /// lost with its node), the task's spec is kept as their lineage and each ref it held moves
    /// from counting a pending task to counting the record, with no release in between; returns
    /// false otherwise (all inline, or all freed meanwhile), and the caller releases the task's
    /// refs as for any finished task. Records past the budget are evicted, oldest first.
    /// </summary>
    public bool KeepLineage(TaskSpec spec, NestedRef[] held, ObjectValue[] returns, RefEffects effects)
    {
        if (!HasStored(returns))
        {
            return false;
        }

        lock (_lock)
        {
            var record = new LineageRecord(spec, held, LineageBytes(spec, held));
            foreach (var value in returns)
            {
                if (_entries.TryGetValue(value.Id, out var entry) && entry.IsOwned && ReferenceEquals(entry.Known, value))
                {
                    entry.Record = record;
                    record.LiveReturns++;
                }
            }

            if (record.LiveReturns == 0)
            {
                return false;
            }

            foreach (var reference in held)
            {
                if (_entries.TryGetValue(reference.Id, out var entry))
                {
                    entry.PendingTasks--;
                    entry.LineageRefs++;
                }
            }

            var evicted = new List<LineageRecord>();
            _lineage.Add(record, evicted);
            foreach (var old in evicted)
            {
                ReleaseLineageRefs(old, effects);
            }

            return true;
        }
    }

    private static bool HasStored(ObjectValue[] returns)
    {
        foreach (var value in returns)
        {
            if (value.Location == ValueLocation.Stored)
            {
                return true;
            }
        }

        return false;
    }

    // The spec and its inline arguments, plus the store bytes of every argument whose value the
    // record keeps (one that cannot be made again, or that this process only borrows).
    private long LineageBytes(TaskSpec spec, NestedRef[] held)
    {
        var bytes = RecordOverhead;
        foreach (var arg in spec.Args)
        {
            bytes += arg.Location == ValueLocation.Inline ? arg.Inline?.Length ?? 0
                : arg.Location == ValueLocation.Stored && KeepsValue(arg.Id) ? arg.Size : 0;
        }

        foreach (var reference in held)
        {
            // A ref nested in an inline argument: its value is kept when it cannot be made again.
            if (Array.FindIndex(spec.Args, a => a.Id == reference.Id) < 0 && KeepsValue(reference.Id)
                && _entries.TryGetValue(reference.Id, out var entry) && entry.Known is { Location: ValueLocation.Stored } known)
            {
                bytes += known.Size;
            }
        }

        return bytes;
    }

    // Whether lineage that needs this object keeps its value (rather than only its own lineage).
    private bool KeepsValue(ObjectId id) =>
        !_entries.TryGetValue(id, out var entry) || !entry.IsOwned || entry.Record is null;

    /// <summary>Lineage counts of one entry, for tests and reports; null when there is none.</summary>
    public (int LineageRefs, bool ValueReleased, bool HasLineage, bool LineageEvicted)? InspectLineage(ObjectId id)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(id, out var e)
                ? (e.LineageRefs, e.ValueReleased, e.Record is not null, e.Record?.Evicted == true)
                : null;
        }
    }

    /// <summary>The lineage budget (<c>PlexusOptions.MaxLineageBytes</c>); a smaller one takes effect at the next record kept.</summary>
    public long MaxLineageBytes
    {
        get
        {
            lock (_lock)
            {
                return _lineage.MaxBytes;
            }
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_lock)
            {
                _lineage.MaxBytes = value;
            }
        }
    }

    /// <summary>The bytes of lineage kept, and how many records.</summary>
    public (long Bytes, int Records) LineageUse
    {
        get
        {
            lock (_lock)
            {
                return (_lineage.TotalBytes, _lineage.Count);
            }
        }
    }

    // An entry is gone: its record loses a return, and with the last one the record goes.
    private void DetachRecord(RefEntry entry, RefEffects effects)
    {
        if (entry.Record is not { } record)
        {
            return;
        }

        entry.Record = null;
        if (--record.LiveReturns > 0 || record.Evicted)
        {
            return;
        }

        _lineage.Remove(record);
        ReleaseLineageRefs(record, effects);
    }

    // A record is no longer kept: the objects it held as arguments lose its count.
    private void ReleaseLineageRefs(LineageRecord record, RefEffects effects)
    {
        foreach (var reference in record.Held)
        {
            if (_entries.TryGetValue(reference.Id, out var entry) && entry.LineageRefs > 0)
            {
                entry.LineageRefs--;
                ReleaseIfUnreferenced(entry, effects);
            }
        }
    }
}
