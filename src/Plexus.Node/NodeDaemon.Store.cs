using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The store as the embedded driver uses it, by call (workers send messages): create, seal, pin and
/// unpin, collect; its figures; and pins of objects in other nodes' stores, which copy them here.
/// </summary>
internal sealed partial class NodeDaemon
{
    // Copies of objects between this node and its peers. Made on first use (a pin that names
    // another node, or a peer's transfer message), under the lock: a node alone never needs it,
    // and nothing it must observe (copies, pulls, peers holding copies) exists before it does.
    private ObjectTransfers? _transfers;

    private ObjectTransfers Transfers
    {
        get
        {
            if (_transfers is null)
            {
                _transfers = new ObjectTransfers(_objectStore, _store, _addresses, _owners, _peers, TransferSettings.From(_options), _time, _logger);
                _objectStore.OwnObjectLeft = _transfers.OnFreed;
                _router.PeerLost += _transfers.OnPeerLost;
            }

            return _transfers;
        }
    }

    /// <summary>Bytes of objects this node has sent to peers that copied them.</summary>
    public long TransferBytesSent => Locked(() => _transfers?.BytesSent ?? 0);

    /// <summary>Bytes of objects this node has copied from peers into its store.</summary>
    public long TransferBytesReceived => Locked(() => _transfers?.BytesReceived ?? 0);

    /// <summary>Bytes of the store's shared memory.</summary>
    public long StoreCapacity => _store.Capacity;

    /// <summary>
    /// Bytes of objects that are only on disk (spilled, or being read back). A restored object is
    /// in memory and not counted, though its spill file keeps a copy so it can leave memory again without a write.
    /// </summary>
    public long SpilledBytes => Locked(() => _spills.SpilledBytes);

    /// <summary>Objects that are only on disk (spilled, or being read back); see <see cref="SpilledBytes"/>.</summary>
    public int SpilledObjectCount => Locked(() => _spills.SpilledObjects);

    /// <summary>Spill files on disk: each holds at least one object not freed yet, spilled or restored with its copy kept.</summary>
    public int SpillFileCount => Locked(() => _spills.FileCount);

    /// <summary>Where spill files go (<see cref="NodeOptions.SpillDirectory"/>); created on the first spill.</summary>
    public string SpillDirectory => _spills.Path;

    /// <summary>Bytes written to spill files since the node started.</summary>
    public long BytesSpilled => Locked(() => _spills.BytesSpilled);

    /// <summary>Bytes read back from spill files since the node started.</summary>
    public long BytesRestored => Locked(() => _spills.BytesRestored);

    /// <summary>Seconds spent writing spill files, in all.</summary>
    public double SpillSeconds => Locked(() => _spills.SpillTime.TotalSeconds);

    /// <summary>Seconds spent reading spilled objects back, in all (restores can overlap).</summary>
    public double RestoreSeconds => Locked(() => _spills.RestoreTime.TotalSeconds);

    /// <summary>Create requests waiting for room.</summary>
    public int PendingCreates => Locked(() => _objectStore.PendingCreates);

    /// <summary>Every object in the store: owner, size, where its bytes are and how many readers pin it.</summary>
    public IReadOnlyList<StoredObjectInfo> DescribeStore() => Locked(() => _store.Objects.Select(o => o.Describe()).ToList());

    /// <summary>
    /// Reserves room for an object the driver owns (the request of request/commit). Completes at
    /// once when there is room; else when room appears (frees, collection, spilling), or with a
    /// <see cref="ErrorKind.StoreFull"/> error after <see cref="NodeOptions.CreateTimeout"/>. A
    /// size larger than the store fails at once. The reply's error, when set, says why.
    /// </summary>
    public ValueTask<CreateReply> CreateObjectAsync(ObjectId id, long size, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        cancellationToken.ThrowIfCancellationRequested();
        CreateReply? answered = null;
        TaskCompletionSource<CreateReply>? waiting = null;
        var outbox = _processes.NewOutbox();
        PendingCreate create;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Answered under the lock: at once (before `waiting` exists), or later through `waiting`.
            create = _objects.CreateForDriver(id, size, (_, reply) =>
            {
                if (waiting is null)
                {
                    answered = reply;
                }
                else
                {
                    waiting.TrySetResult(reply);
                }
            }, outbox);
            if (answered is null)
            {
                waiting = new TaskCompletionSource<CreateReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        outbox.Flush();
        return answered is not null ? ValueTask.FromResult(answered) : WaitCreateAsync(waiting!, create, cancellationToken);
    }

    /// <summary>Commits an object the driver wrote.</summary>
    public void SealObject(ObjectId id, ValueFormat format)
    {
        lock (_lock)
        {
            _objects.Seal(id, format);
        }
    }

    /// <summary>
    /// Pins a stored object for the driver. <c>Found = false</c> when it is gone; a spilled object
    /// is read back first, and one in the store of another node (<paramref name="node"/>, the
    /// value's) is copied here first (at an offset of this store: use the reply's value);
    /// <c>Error</c> says why when that fails.
    /// </summary>
    public ValueTask<PinReply> PinObjectAsync(ObjectId id, ulong node = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PinReply? answered = null;
        TaskCompletionSource<PinReply>? waiting = null;
        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PinHereOrPull(ProcessAddress.DriverProcess, 0, id, node, (later, reply) =>
            {
                if (waiting is null)
                {
                    answered = reply;
                }
                else if (!waiting.TrySetResult(reply) && reply.Value is { } pinned)
                {
                    _objects.Unpin(ProcessAddress.DriverProcess, id, pinned.Offset, later); // Nobody waits for it any more.
                }
            }, outbox);
            if (answered is null)
            {
                waiting = new TaskCompletionSource<PinReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        outbox.Flush();
        if (answered is not null)
        {
            return ValueTask.FromResult(answered);
        }

        return WaitPinAsync(waiting!, cancellationToken);
    }

    // A runtime's pin: answered from this store when the object is here (its primary, or a complete
    // copy), else once it is copied from the node whose store its value names.
    private void PinHereOrPull(int process, long requestId, ObjectId id, ulong node, Action<Outbox, PinReply> answer, Outbox outbox)
    {
        if (node == 0 || node == NodeId)
        {
            _objects.Pin(process, requestId, id, answer, outbox);
            return;
        }

        _objects.Pin(process, requestId, id, answer, outbox, (whenDone, later) => Transfers.Pull(id, node, whenDone, later));
    }

    /// <summary>Releases a pin the driver took on the version at <paramref name="offset"/>.</summary>
    public void UnpinObject(ObjectId id, long offset)
    {
        Locked(outbox => _objects.Unpin(ProcessAddress.DriverProcess, id, offset, outbox));
    }

    private async ValueTask<CreateReply> WaitCreateAsync(TaskCompletionSource<CreateReply> waiting, PendingCreate create, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            var outbox = _processes.NewOutbox();
            lock (_lock)
            {
                // Still queued: take it back. Else it was answered and the answer stands.
                if (_objects.Withdraw(create, outbox))
                {
                    waiting.TrySetCanceled(cancellationToken);
                }
            }

            outbox.Flush();
        });
        return await waiting.Task.ConfigureAwait(false);
    }

    private static async ValueTask<PinReply> WaitPinAsync(TaskCompletionSource<PinReply> waiting, CancellationToken cancellationToken)
    {
        // A pin answered after this is cancelled finds the source completed and is released at once.
        await using var registration = cancellationToken.Register(() => waiting.TrySetCanceled(cancellationToken));
        return await waiting.Task.ConfigureAwait(false);
    }

    /// <summary>Asks every runtime on the node to collect garbage; completes once all have sent their releases (or after a deadline).</summary>
    public async Task CollectGarbageAsync()
    {
        var outbox = _processes.NewOutbox();
        PressureRound round;
        lock (_lock)
        {
            round = _pressure.StartRequestedRound(outbox);
        }

        outbox.Flush();
        try
        {
            await round.Done.Task.WaitAsync(PressureController.RequestedRoundDeadline, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Runtimes that do not answer are not waited for longer.
        }

        lock (_lock)
        {
            _pressure.EndRequestedRound(round);
        }
    }
}
