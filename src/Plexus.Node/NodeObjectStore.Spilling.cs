using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Moving objects between memory and spill files, as state changes under the node's lock: the
/// node writes and reads the files between a plan and its completion, outside the lock.
/// </summary>
internal sealed partial class NodeObjectStore
{
    /// <summary>
    /// Chooses objects to spill so that waiting requests fit and usage falls to low water, up to
    /// <paramref name="maxFileBytes"/> (one file), and protects them: while Spilling, their range
    /// is neither released nor reused. Null when nothing needs or can be spilled.
    /// </summary>
    public List<StoredObject>? PlanSpill(long maxFileBytes)
    {
        if (!settings.SpillEnabled)
        {
            return null;
        }

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

        if (need <= 0)
        {
            return null;
        }

        var victims = store.ChooseVictims(need, maxFileBytes);
        foreach (var victim in victims)
        {
            victim.State = StoredObjectState.Spilling;
        }

        return victims.Count > 0 ? victims : null;
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
                file.AddLive(victim.Size);
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

    /// <summary>Ends a restore: the object is in memory at its new offset (or, on failure, still spilled) and its waiters are told.</summary>
    public void CompleteRestore(StoredObject stored, string? failure, Outbox outbox)
    {
        ErrorInfo? error = null;
        if (stored.Removed || failure is not null)
        {
            store.Release(stored.Offset);
        }

        if (failure is not null && !stored.Removed)
        {
            stored.State = StoredObjectState.Spilled;
            error = new ErrorInfo(ErrorKind.ObjectLost, "Plexus.ObjectLostException",
                $"Object {stored.Id} was spilled to disk and could not be read back from {stored.File!.Path}: {failure}",
                string.Empty, null);
        }
        else
        {
            stored.State = StoredObjectState.InMemory;
            stored.File!.ReleaseLive(stored.Size);
            stored.File = null;
            if (!stored.Removed)
            {
                spills.BytesRestored += stored.Size;
            }
        }

        NotifyWaiters(stored, error, outbox);
        Serve(outbox);
    }
}
