using Microsoft.Extensions.Logging;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>What became of a pin request.</summary>
internal enum PinAttempt
{
    /// <summary>Pinned in memory now.</summary>
    Pinned,
    /// <summary>Not in the store (never created, not sealed yet, or freed).</summary>
    Missing,
    /// <summary>Spilled: its waiter is called once the restore ends.</summary>
    Restoring,
}

/// <summary>
/// The node's store under memory pressure: it decides who gets arena room next and moves objects
/// between memory and spill files. Room goes first to restores (readers), then to create requests
/// in arrival order; a create that does not fit waits in the queue, which the pressure loop
/// relieves by asking runtimes to collect, then by spilling. Waits are measured on the
/// <paramref name="time"/> given (the node's). Not thread-safe: every method runs under the
/// node's lock, and disk I/O is only ever started through the outbox, after the lock is released.
/// </summary>
internal sealed partial class NodeObjectStore(
    LocalObjectStore store, SpillDirectory spills, NodeObjectStore.Settings settings, TimeProvider time, ILogger logger, Action wake, Action<StoredObject> startRestore)
{
    // Create requests waiting for room, oldest first; only the first may take room (FIFO).
    private readonly LinkedList<PendingCreate> _creates = new();
    // Spilled objects a reader waits for and that have no room yet, oldest first; served before any create.
    private readonly LinkedList<StoredObject> _restores = new();

    /// <summary>The options the store runs with (from <see cref="NodeOptions"/>).</summary>
    public sealed record Settings(TimeSpan CreateTimeout, double HighWater, bool SpillEnabled);

    public int PendingCreates => _creates.Count;

    public bool HasWaiters => _creates.Count > 0 || _restores.Count > 0;

    public long HighWaterBytes => (long)(store.Capacity * settings.HighWater);

    // The hysteresis: a spill pass goes below high water by this much, so the next create does not start another.
    public long LowWaterBytes => (long)(store.Capacity * Math.Max(0, settings.HighWater - 0.1));

    /// <summary>Whether the pressure loop has work: requests wait, or usage is above high water.</summary>
    public bool UnderPressure => HasWaiters || store.Used > HighWaterBytes;

    // Set when a request starts waiting or usage passes high water; the pressure loop clears it when it starts a round.
    public bool RoundWanted { get; set; }

    // Why the last spill pass failed, for the message of creates that time out; null after a pass succeeds.
    public string? LastSpillFailure { get; set; }

    /// <summary>
    /// Called under the lock when one of this node's own objects (not a copy of another node's)
    /// leaves the store: freed, its owner died, or replaced by a retried task. Set by the node's
    /// transfers, which tell the peers holding copies of it.
    /// </summary>
    public Action<ObjectId, Outbox>? OwnObjectLeft { get; set; }

    /// <summary>Takes back a create request nobody waits for any more (cancelled); false if it was answered already.</summary>
    public bool Withdraw(PendingCreate create, Outbox outbox)
    {
        if (!_creates.Remove(create))
        {
            return false;
        }

        Serve(outbox);
        return true;
    }

    /// <summary>Answers a create request now if there is room and nobody waits ahead of it, else queues it.</summary>
    public void Create(PendingCreate create, Outbox outbox)
    {
        if (create.Size > store.Capacity)
        {
            create.Answer(outbox, Refused(create, ErrorKind.StoreFull,
                $"An object of {create.Size} bytes cannot be stored: it is larger than the whole object store ({store.Capacity} bytes). " +
                "Split the value, or start with a larger StoreCapacity."));
            return;
        }

        if (HasWaiters || !TryCommit(create, outbox))
        {
            _creates.AddLast(create);
            RoundWanted = true;
            wake();
        }
    }

    public void Seal(ObjectId id, ValueFormat format)
    {
        store.Seal(id, format);
        if (UnderPressure)
        {
            wake(); // A sealed object can be spilled: a pass that found nothing to spill may now.
        }
    }

    /// <summary>
    /// Pins <paramref name="id"/> if it is in memory. A spilled object is queued for restore and
    /// <paramref name="whenRestored"/> is called under the lock when that ends: with null to try
    /// the pin again, or with why the restore failed.
    /// </summary>
    public PinAttempt Pin(ObjectId id, Action<Outbox, ErrorInfo?> whenRestored, Outbox outbox, out ObjectValue? value)
    {
        value = null;
        if (store.Find(id) is not { } stored)
        {
            return PinAttempt.Missing;
        }

        value = store.TryPinInMemory(stored);
        if (value is not null)
        {
            return PinAttempt.Pinned;
        }

        if (stored.State is not (StoredObjectState.Spilled or StoredObjectState.Restoring))
        {
            return PinAttempt.Missing; // Not sealed yet.
        }

        var first = stored.RestoreWaiters is null;
        (stored.RestoreWaiters ??= []).Add(whenRestored);
        if (first && stored.State == StoredObjectState.Spilled)
        {
            stored.RestoreQueuedAt = time.GetTimestamp();
            _restores.AddLast(stored);
            Serve(outbox);
            if (_restores.Count > 0)
            {
                RoundWanted = true;
                wake();
            }
        }

        return PinAttempt.Restoring;
    }

    public void Unpin(ObjectId id, long offset, Outbox outbox)
    {
        store.Unpin(id, offset);
        Relieved(outbox);
    }

    public void Free(ObjectId id, Outbox outbox)
    {
        if (store.Free(id) is { } removed)
        {
            Detached(removed, outbox);
        }

        Relieved(outbox);
    }

    /// <summary>The objects their owner's exit freed, so a reader of one is told why it is gone.</summary>
    public OrphanedObjects Orphans { get; } = new();

    /// <summary>
    /// A process died: its objects go (fate-sharing), so do the objects it was writing for others
    /// and never sealed (their owner lives: a retry creates the id again, or the task fails), and
    /// so do the creates it waits for.
    /// </summary>
    public void OnProcessDied(int process, Outbox outbox)
    {
        foreach (var removed in store.FreeOwnedBy(process))
        {
            Orphans.Add(removed.Id, process);
            Detached(removed, outbox);
        }

        foreach (var aborted in store.AbortUnsealedBy(process))
        {
            logger.UnsealedObjectAborted(aborted.Id, aborted.Size, process);
            Detached(aborted, outbox);
        }

        for (var node = _creates.First; node is not null;)
        {
            var next = node.Next;
            var create = node.Value;
            if (create.Requester == process)
            {
                _creates.Remove(node);
            }
            else if (create.Owner == process)
            {
                _creates.Remove(node);
                create.Answer(outbox, Refused(create, ErrorKind.OwnerDied,
                    $"The owner of object {create.Id} (process {process}) has exited; the object is not created."));
            }

            node = next;
        }

        Relieved(outbox);
    }

    /// <summary>Gives free room to waiting restores, then to waiting creates in order; stops at the first that does not fit.</summary>
    public void Serve(Outbox outbox)
    {
        while (_restores.First is { } first)
        {
            var stored = first.Value;
            if (stored.Removed || stored.State != StoredObjectState.Spilled)
            {
                _restores.RemoveFirst();
                continue;
            }

            if (!store.TryAllocate(stored.Size, out var offset))
            {
                return; // Creates wait behind the reader.
            }

            _restores.RemoveFirst();
            stored.Offset = offset;
            stored.State = StoredObjectState.Restoring;
            outbox.Defer(() => startRestore(stored));
        }

        while (_creates.First is { } first && TryCommit(first.Value, outbox))
        {
            _creates.RemoveFirst();
        }
    }

    /// <summary>
    /// Answers, with <see cref="ErrorKind.StoreFull"/>, the creates and restores that waited
    /// <see cref="Settings.CreateTimeout"/> for room. A spilled object whose restore timed out
    /// stays on disk; a later pin tries again.
    /// </summary>
    public void ExpireWaits(Outbox outbox, Func<string> describePins)
    {
        var expired = false;
        for (var node = _creates.First; node is not null;)
        {
            var next = node.Next;
            var create = node.Value;
            var waited = time.GetElapsedTime(create.StartedAt);
            if (waited >= settings.CreateTimeout)
            {
                _creates.Remove(node);
                expired = true;
                logger.CreateTimedOut(create.Id, create.Size, create.Requester, waited);
                create.Answer(outbox, Refused(create, ErrorKind.StoreFull,
                    $"The object store had no room for {create.Size} bytes {NoRoomBecause(waited, describePins)}"));
            }

            node = next;
        }

        for (var node = _restores.First; node is not null;)
        {
            var next = node.Next;
            var stored = node.Value;
            var waited = time.GetElapsedTime(stored.RestoreQueuedAt);
            if (waited >= settings.CreateTimeout)
            {
                _restores.Remove(node);
                expired = true;
                logger.RestoreTimedOut(stored.Id, stored.Size, waited);
                NotifyWaiters(stored, ErrorInfo.Of(ErrorKind.StoreFull,
                    $"Object {stored.Id} is spilled to disk and the object store had no room to read its {stored.Size} bytes back " +
                    NoRoomBecause(waited, describePins)), outbox);
            }

            node = next;
        }

        if (expired)
        {
            Serve(outbox); // A smaller request behind an expired one may fit.
        }
    }

    private string NoRoomBecause(TimeSpan waited, Func<string> describePins)
    {
        var failure = LastSpillFailure is { } reason ? $" Spilling to disk failed: {reason}." : string.Empty;
        return $"within {waited.TotalSeconds:0.#} s: {store.Used} of {store.Capacity} bytes in use, {describePins()}.{failure} " +
            "Release views and free objects you no longer need, or start with a larger StoreCapacity.";
    }

    /// <summary>How long until the oldest waiting create or restore times out; null when none waits.</summary>
    public TimeSpan? UntilNextTimeout()
    {
        // Each queue is in arrival order, so its first entry times out first.
        TimeSpan? create = _creates.First is { } c ? settings.CreateTimeout - time.GetElapsedTime(c.Value.StartedAt) : null;
        TimeSpan? restore = _restores.First is { } r ? settings.CreateTimeout - time.GetElapsedTime(r.Value.RestoreQueuedAt) : null;
        return create is null ? restore : restore is null ? create : create < restore ? create : restore;
    }

    /// <summary>Answers every waiting create and restore: the node is shutting down.</summary>
    public void FailAll(Outbox outbox)
    {
        foreach (var create in _creates)
        {
            create.Answer(outbox, Refused(create, ErrorKind.ShutDown, "The node is shutting down."));
        }

        _creates.Clear();
        var shutDown = ErrorInfo.Of(ErrorKind.ShutDown, "The node is shutting down.");
        foreach (var stored in _restores)
        {
            NotifyWaiters(stored, shutDown, outbox);
        }

        _restores.Clear();
    }

    private bool TryCommit(PendingCreate create, Outbox outbox)
    {
        // A retried task re-creating its return replaces the old version, even while it waits for room.
        var replaced = store.Find(create.Id);
        var created = store.TryCreate(create.Id, create.Size, create.Owner, create.Copy, create.Requester);
        if (replaced is not null)
        {
            Detached(replaced, outbox);
        }

        if (created is not { } offset)
        {
            return false;
        }

        create.Answer(outbox, new CreateReply { RequestId = create.RequestId, Offset = offset });
        if (store.Used > HighWaterBytes)
        {
            RoundWanted = true;
            wake();
        }

        return true;
    }

    // A version left the table: copies of it on other nodes go, its spill copy is no longer needed
    // and readers waiting for its restore retry (and find it gone), unless a restore is under way,
    // whose completion does both.
    private void Detached(StoredObject removed, Outbox outbox)
    {
        if (removed.Copy is null)
        {
            OwnObjectLeft?.Invoke(removed.Id, outbox);
        }

        if (removed.State != StoredObjectState.Restoring)
        {
            DropSpillCopy(removed);
            NotifyWaiters(removed, null, outbox);
        }
    }

    private void Relieved(Outbox outbox)
    {
        if (HasWaiters)
        {
            Serve(outbox);
        }

        if (UnderPressure)
        {
            wake();
        }
    }

    private static void NotifyWaiters(StoredObject stored, ErrorInfo? error, Outbox outbox)
    {
        if (stored.RestoreWaiters is { } waiters)
        {
            stored.RestoreWaiters = null;
            foreach (var waiter in waiters)
            {
                waiter(outbox, error);
            }
        }
    }

    private static CreateReply Refused(PendingCreate create, ErrorKind kind, string message) => new()
    {
        RequestId = create.RequestId,
        Offset = -1,
        Error = ErrorInfo.Of(kind, message),
    };
}
