using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Moving objects between memory and spill files, as state changes under the node's lock: the
/// node writes and reads the files between a plan and its completion, outside the lock.
/// A restored object keeps its file copy, as in Ray: sealed bytes never change, so when it is
/// chosen again it leaves memory at once, with no write (a "free eviction"). Its file stays until
/// every object that needs it is freed.
/// </summary>
internal sealed partial class NodeObjectStore
{
    /// <summary>What a spill plan did and what is left to write.</summary>
    /// <param name="Writes">Objects to write to one file, protected as Spilling; null when none.</param>
    /// <param name="EvictedBytes">Bytes that left memory at once because their spill copy was kept.</param>
    public readonly record struct SpillPlan(List<StoredObject>? Writes, long EvictedBytes);

    /// <summary>
    /// Makes room so that waiting requests fit and usage falls to low water. Secondary copies of
    /// other nodes' objects go first, then objects whose spill copy was kept, least recently used
    /// first within each: they cost no I/O, so they leave memory now and waiting requests are
    /// served. What is still needed is chosen among the objects that must be written, up to
    /// <paramref name="maxFileBytes"/> (one file), and protected: while Spilling, their range is
    /// neither released nor reused. Copies are evicted even when spilling is off.
    /// </summary>
    public SpillPlan PlanSpill(long maxFileBytes, Outbox outbox)
    {
        var need = BytesToFree();
        if (need <= 0)
        {
            return default;
        }

        // A copy goes before a kept spill copy: its primary still holds the object, so losing it
        // costs a later pull at most and never a read of this node's disk.
        var evicted = EvictSecondaryCopies(need, outbox);
        if (settings.SpillEnabled && need > evicted)
        {
            evicted += EvictKeptCopies(need - evicted);
        }

        if (evicted > 0)
        {
            Serve(outbox);
        }

        var victims = settings.SpillEnabled && need > evicted ? store.ChooseVictims(need - evicted, maxFileBytes) : [];
        foreach (var victim in victims)
        {
            victim.State = StoredObjectState.Spilling;
        }

        return new SpillPlan(victims.Count > 0 ? victims : null, evicted);
    }

    // The bytes that must leave memory for the waiting requests to fit and usage to fall to low water.
    private long BytesToFree()
    {
        var waiting = _restores.Sum(r => r.Size) + _creates.Sum(c => c.Size);
        var after = store.Used + waiting;
        var need = after - store.Capacity;
        if (waiting > 0 && need <= 0)
        {
            // Enough bytes are free but not in one range: spill the size of the first request.
            need = _restores.First?.Value.Size ?? _creates.First!.Value.Size;
        }

        if (after > HighWaterBytes)
        {
            need = Math.Max(need, after - LowWaterBytes);
        }

        return need;
    }

    /// <summary>
    /// Ends a spill pass: each victim written to <paramref name="file"/> (null when writing failed)
    /// leaves memory, unless a reader pinned it meanwhile (its spilled bytes are then dead); a
    /// victim freed meanwhile is simply dropped. Returns the bytes that left memory.
    /// </summary>
    public long CompleteSpill(List<StoredObject> victims, SpillFile? file, Outbox outbox)
    {
        var spilled = 0L;
        var fileOffset = 0L;
        foreach (var victim in victims)
        {
            if (victim.Removed)
            {
                store.ReleaseOrRetire(victim);
            }
            else if (file is null || victim.Pins > 0)
            {
                victim.State = StoredObjectState.InMemory;
            }
            else
            {
                victim.State = StoredObjectState.Spilled;
                victim.File = file;
                victim.FileOffset = fileOffset;
                file.AddLive();
                spills.AddSpilled(victim.Size);
                store.Release(victim.Offset);
                spilled += victim.Size;
            }

            fileOffset += victim.Size;
        }

        if (file is { LiveObjects: 0 })
        {
            file.Dispose();
        }

        spills.BytesSpilled += spilled;
        Serve(outbox);
        return spilled;
    }

    /// <summary>
    /// Ends a restore: the object is in memory at its new offset, its file copy kept (or, on
    /// failure, still spilled) and its waiters are told. One freed meanwhile drops its range and copy.
    /// </summary>
    public void CompleteRestore(StoredObject stored, string? failure, Outbox outbox)
    {
        ErrorInfo? error = null;
        if (stored.Removed)
        {
            store.Release(stored.Offset);
            DropSpillCopy(stored);
        }
        else if (failure is not null)
        {
            store.Release(stored.Offset);
            stored.State = StoredObjectState.Spilled;
            error = ErrorInfo.Of(ErrorKind.ObjectLost,
                $"Object {stored.Id} was spilled to disk and could not be read back from {stored.File!.Path}: {failure}");
        }
        else
        {
            stored.State = StoredObjectState.InMemory;
            spills.RemoveSpilled(stored.Size);
            spills.BytesRestored += stored.Size;
        }

        NotifyWaiters(stored, error, outbox);
        Serve(outbox);
    }

    // Copies of other nodes' objects leave memory without I/O; each tells its primary, which stops sending pulls to it.
    private long EvictSecondaryCopies(long need, Outbox outbox)
    {
        var evicted = store.ChooseSecondaryCopies(need);
        var bytes = 0L;
        foreach (var copy in evicted)
        {
            store.Free(copy.Id);
            copy.Copy!.Evicted(outbox);
            bytes += copy.Size;
        }

        if (evicted.Count > 0)
        {
            logger.SecondaryCopiesEvicted(evicted.Count, bytes);
        }

        return bytes;
    }

    // Objects restored earlier leave memory without I/O: their file copy is still valid.
    private long EvictKeptCopies(long need)
    {
        var evicted = store.ChooseKeptCopies(need);
        var bytes = 0L;
        foreach (var stored in evicted)
        {
            stored.State = StoredObjectState.Spilled;
            spills.AddSpilled(stored.Size);
            store.Release(stored.Offset);
            bytes += stored.Size;
        }

        if (evicted.Count > 0)
        {
            logger.KeptCopiesEvicted(evicted.Count, bytes);
        }

        return bytes;
    }

    // The object no longer needs its bytes on disk (it was freed): its file goes with the last object that needs it.
    private void DropSpillCopy(StoredObject stored)
    {
        if (stored.File is not { } file)
        {
            return;
        }

        if (stored.State is StoredObjectState.Spilled or StoredObjectState.Restoring)
        {
            spills.RemoveSpilled(stored.Size);
        }

        stored.File = null;
        file.ReleaseLive();
    }
}
