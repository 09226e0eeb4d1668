using System.Diagnostics;
using System.Globalization;
using System.Text;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>The store as runtimes use it: create, seal, pin and unpin, for the driver by call and for workers by message.</summary>
public sealed partial class NodeDaemon
{
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
    public int PendingCreates => Locked(() => _objects.PendingCreates);

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
        var outbox = NewOutbox();
        PendingCreate create;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Answered under the lock: at once (before `waiting` exists), or later through `waiting`.
            create = new PendingCreate(0, id, size, ProcessAddress.DriverProcess, ProcessAddress.DriverProcess, Stopwatch.GetTimestamp(),
                (_, reply) =>
                {
                    if (waiting is null)
                    {
                        answered = reply;
                    }
                    else
                    {
                        waiting.TrySetResult(reply);
                    }
                });
            _objects.Create(create, outbox);
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
    /// is read back first (at a new offset: use the reply's value), and <c>Error</c> says why when that fails.
    /// </summary>
    public ValueTask<PinReply> PinObjectAsync(ObjectId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PinReply? answered = null;
        TaskCompletionSource<PinReply>? waiting = null;
        var outbox = NewOutbox();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PinFor(ProcessAddress.DriverProcess, 0, id, (later, reply) =>
            {
                if (waiting is null)
                {
                    answered = reply;
                }
                else if (!waiting.TrySetResult(reply) && reply.Value is { } pinned)
                {
                    UnpinForProcess(ProcessAddress.DriverProcess, id, pinned.Offset, later); // Nobody waits for it any more.
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

    /// <summary>Releases a pin the driver took on the version at <paramref name="offset"/>.</summary>
    public void UnpinObject(ObjectId id, long offset)
    {
        var outbox = NewOutbox();
        lock (_lock)
        {
            UnpinForProcess(ProcessAddress.DriverProcess, id, offset, outbox);
        }

        outbox.Flush();
    }

    private async ValueTask<CreateReply> WaitCreateAsync(TaskCompletionSource<CreateReply> waiting, PendingCreate create, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            var outbox = NewOutbox();
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

    private void CreateForProcess(int from, CreateObject create, Outbox outbox)
    {
        if (create.Size < 0)
        {
            throw new ProtocolViolationException($"CreateObject.Size is negative ({create.Size})");
        }

        void Answer(Outbox later, CreateReply reply) => later.Add(from, reply);
        if (!IsLocal(create.Owner))
        {
            Answer(outbox, new CreateReply
            {
                RequestId = create.RequestId,
                Offset = -1,
                Error = new ErrorInfo(ErrorKind.ObjectLost, "Plexus.OwnerDiedException",
                    $"Object {create.Object} names an owner on another node ({create.Owner}); this node stores objects of its own processes only.",
                    string.Empty, null),
            });
            return;
        }

        _objects.Create(new PendingCreate(create.RequestId, create.Object, create.Size, create.Owner.Process, from, Stopwatch.GetTimestamp(), Answer), outbox);
    }

    /// <summary>
    /// Pins <paramref name="id"/> for a process and answers it, after a restore if the object is
    /// spilled. The pin is recorded for the process, so its death releases it; a process that
    /// died while its object was restored gets nothing.
    /// </summary>
    private void PinFor(int process, long requestId, ObjectId id, Action<Outbox, PinReply> answer, Outbox outbox)
    {
        var attempt = _objects.Pin(id, (later, error) =>
        {
            if (error is null && _disposed)
            {
                error = new ErrorInfo(ErrorKind.ShutDown, "System.ObjectDisposedException", "The node is shutting down.", string.Empty, null);
            }

            if (error is not null)
            {
                answer(later, new PinReply { RequestId = requestId, Found = false, Error = error });
            }
            else if (process == ProcessAddress.DriverProcess || _links.ContainsKey(process))
            {
                PinFor(process, requestId, id, answer, later);
            }
        }, outbox, out var value);
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
            case PinAttempt.Missing:
                answer(outbox, new PinReply { RequestId = requestId, Found = false });
                break;
        }
    }

    private void UnpinForProcess(int process, ObjectId id, long offset, Outbox outbox)
    {
        if (_pinsByProcess.TryGetValue(process, out var pins) && pins.Remove((id, offset)))
        {
            _objects.Unpin(id, offset, outbox);
        }
    }

    /// <summary>Who pins how many bytes, for the message of a create that timed out.</summary>
    private string DescribePins()
    {
        var parts = new List<string>();
        var total = 0L;
        foreach (var (process, pins) in _pinsByProcess.OrderBy(p => p.Key))
        {
            var bytes = pins.Sum(p => _store.SizeOf(p.Id, p.Offset));
            if (bytes > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"process {process} ({(process == ProcessAddress.DriverProcess ? "the driver" : "a worker")}) {bytes} bytes"));
                total += bytes;
            }
        }

        foreach (var (process, worker) in _dispatcher.Workers.OrderBy(w => w.Key))
        {
            var bytes = worker.InFlight.Values.Sum(t => t.PinnedArgs.Sum(a => a.Size));
            if (bytes > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"arguments of tasks running on process {process} {bytes} bytes"));
                total += bytes;
            }
        }

        var queued = _dispatcher.QueuedPinnedBytes;
        if (queued > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"arguments of tasks waiting to run {queued} bytes"));
            total += queued;
        }

        var writing = _store.Objects.Where(o => o.State == StoredObjectState.Writing).Sum(o => o.Size);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{total} bytes pinned");
        if (parts.Count > 0)
        {
            text.Append(" (").AppendJoin("; ", parts).Append(')');
        }

        text.Append(CultureInfo.InvariantCulture, $", {writing} bytes created and not sealed yet");
        AppendOwners(text);
        return text.ToString();
    }

    // Who owns the memory in use (objects in shared memory, by owner process, largest first): the
    // processes whose refs keep it, which the user can drop.
    private void AppendOwners(StringBuilder text)
    {
        var owners = _store.Objects
            .Where(o => o.State is StoredObjectState.Writing or StoredObjectState.InMemory or StoredObjectState.Spilling or StoredObjectState.Restoring)
            .GroupBy(o => o.Owner)
            .Select(g => (Process: g.Key, Bytes: g.Sum(o => o.Size), Count: g.Count()))
            .OrderByDescending(o => o.Bytes)
            .ToList();
        if (owners.Count == 0)
        {
            return;
        }

        text.Append("; in memory, by owner: ").AppendJoin("; ", owners.Take(5).Select(o => string.Create(CultureInfo.InvariantCulture,
            $"process {o.Process} ({(o.Process == ProcessAddress.DriverProcess ? "the driver" : "a worker")}) {o.Bytes} bytes in {o.Count} objects")));
        if (owners.Count > 5)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {owners.Count - 5} more processes");
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_lock)
        {
            return read();
        }
    }
}
