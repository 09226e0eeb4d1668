using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The objects of the node's processes as they use them: creates, seals, frees, pins per process
/// (released when the process exits). The store's own bookkeeping (room, spilling, restores) is the <see cref="NodeObjectStore"/>'s. Called under
/// the node's lock; replies go through the <see cref="Outbox"/>.
/// </summary>
internal sealed class ObjectManager(NodeObjectStore objects, LocalObjectStore store, TaskDispatcher scheduler, ProcessTable processes, ObjectOwners owners, TimeProvider time)
{
    // Store pins taken by each process through PinObject (id and version offset), released if the process dies.
    private readonly Dictionary<int, List<(ObjectId Id, long Offset)>> _pinsByProcess = [];
    // Set when the node stops: a pin waiting for a restore is answered with that.
    private bool _stopped;

    /// <summary>A runtime's create request (<see cref="CreateObject"/>), answered now or once room appears.</summary>
    public void Create(int from, CreateObject create, Outbox outbox)
    {
        void Answer(Outbox later, CreateReply reply) => later.Add(from, reply);
        objects.Create(new PendingCreate(create.RequestId, create.Object, create.Size, owners.NumberOf(create.Owner), from, time.GetTimestamp(), Answer), outbox);
    }

    /// <summary>Which of <paramref name="ids"/> this store holds a complete secondary copy of (in memory or spilled).</summary>
    public ObjectId[] CopiesHeld(ObjectId[] ids) => [.. ids.Where(id => store.Find(id) is { Copy: not null, State: not StoredObjectState.Writing, Removed: false })];

    /// <summary>
    /// Makes this store's copies of <paramref name="ids"/> primaries owned by <paramref name="owner"/>
    /// (their primary node is gone): no longer evicted as copies, freed when the owner frees them or
    /// exits. Returns those adopted; a copy evicted meanwhile is not.
    /// </summary>
    public ObjectId[] Adopt(ObjectId[] ids, ProcessAddress owner)
    {
        var adopted = CopiesHeld(ids);
        foreach (var id in adopted)
        {
            var copy = store.Find(id)!;
            copy.Copy = null;
            copy.Owner = owners.NumberOf(owner);
        }

        return adopted;
    }

    /// <summary>Runtimes of other nodes exited (<paramref name="gone"/>): the objects they own here go, as a local owner's do.</summary>
    public void OnRemoteOwnersExited(Func<ProcessAddress, bool> gone, Outbox outbox)
    {
        foreach (var number in owners.Forget(gone))
        {
            objects.OnProcessDied(number, outbox);
        }
    }

    /// <summary>The embedded driver's create request; <paramref name="answer"/> is called once, under the lock.</summary>
    public PendingCreate CreateForDriver(ObjectId id, long size, Action<Outbox, CreateReply> answer, Outbox outbox)
    {
        var create = new PendingCreate(0, id, size, ProcessAddress.DriverProcess, ProcessAddress.DriverProcess, time.GetTimestamp(), answer);
        objects.Create(create, outbox);
        return create;
    }

    /// <summary>Takes back a create nobody waits for any more; false if it was answered already.</summary>
    public bool Withdraw(PendingCreate create, Outbox outbox) => objects.Withdraw(create, outbox);

    public void Seal(ObjectId id, ValueFormat format) => objects.Seal(id, format);

    public void Free(IEnumerable<ObjectId> ids, Outbox outbox)
    {
        foreach (var id in ids)
        {
            objects.Free(id, outbox);
        }
    }

    /// <summary>The store copies of values nobody can reach any more (their owner is gone) go now.</summary>
    public void FreeStored(IEnumerable<ObjectValue?> values, Outbox outbox) =>
        Free(values.Where(v => v?.Location == ValueLocation.Stored).Select(v => v!.Id), outbox);

    /// <summary>
    /// Pins <paramref name="id"/> for a process and answers it, after a restore if the object is
    /// spilled, or after <paramref name="pull"/> has copied it here from another node when it is
    /// not in this store (the pull calls back as a restore does: null to pin it now, or why not).
    /// The pin is recorded for the process, so its death releases it; a process that died while
    /// its object was restored or pulled gets nothing.
    /// </summary>
    public void Pin(int process, long requestId, ObjectId id, Action<Outbox, PinReply> answer, Outbox outbox,
        Action<Action<Outbox, ErrorInfo?>, Outbox>? pull = null)
    {
        void Retry(Outbox later, ErrorInfo? error)
        {
            if (error is null && _stopped)
            {
                error = ErrorInfo.Of(ErrorKind.ShutDown, "The node is shutting down.");
            }

            if (error is not null)
            {
                answer(later, new PinReply { RequestId = requestId, Found = false, Error = error });
            }
            else if (process == ProcessAddress.DriverProcess || processes.IsConnected(process))
            {
                Pin(process, requestId, id, answer, later);
            }
        }

        var attempt = objects.Pin(id, Retry, outbox, out var value);
        switch (attempt)
        {
            case PinAttempt.Pinned:
                if (!_pinsByProcess.TryGetValue(process, out var pins))
                {
                    _pinsByProcess[process] = pins = [];
                }

                pins.Add((id, value!.Offset));
                answer(outbox, new PinReply { RequestId = requestId, Found = true, Value = value });
                break;
            case PinAttempt.Missing when pull is not null:
                pull(Retry, outbox);
                break;
            case PinAttempt.Missing:
                answer(outbox, new PinReply { RequestId = requestId, Found = false, Error = objects.Orphans.WhyGone(id) });
                break;
        }
    }

    public void Unpin(int process, ObjectId id, long offset, Outbox outbox)
    {
        if (_pinsByProcess.TryGetValue(process, out var pins) && pins.Remove((id, offset)))
        {
            objects.Unpin(id, offset, outbox);
        }
    }

    /// <summary>Who pins how many bytes, and who owns the memory in use: for the message of a create that timed out.</summary>
    public string DescribePins() => StoreFullReport.Describe(_pinsByProcess, store, scheduler);

    /// <summary>
    /// A process exited: its pins go; objects fate-share with their owner (its store objects and
    /// the creates it waits for go).
    /// </summary>
    public void OnProcessExited(int process, Outbox outbox)
    {
        if (_pinsByProcess.Remove(process, out var pins))
        {
            foreach (var (id, offset) in pins)
            {
                objects.Unpin(id, offset, outbox);
            }
        }

        objects.OnProcessDied(process, outbox);
    }

    /// <summary>The node stops: every waiting create and restore is answered, and pins that wait for a restore will be.</summary>
    public void Stop(Outbox outbox)
    {
        _stopped = true;
        objects.FailAll(outbox);
    }
}
