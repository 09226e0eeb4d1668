using Plexus.Protocol.Messages;

namespace Plexus.Node;

public sealed partial class NodeDaemon
{
    /// <summary>Handles one message from a runtime on this node. Never throws on what a runtime sends.</summary>
    private void Receive(int from, Message message)
    {
        var outbox = NewOutbox();
        lock (_lock)
        {
            switch (message)
            {
                case SubmitTask submit:
                    _dispatcher.Enqueue(submit.Spec);
                    _dispatcher.Dispatch(outbox);
                    break;
                case TaskFinished finished:
                    if (_dispatcher.Complete(from, finished.Task) is not null)
                    {
                        RouteResult(finished, outbox);
                    }

                    _dispatcher.Dispatch(outbox);
                    break;
                case TaskBlocked blocked:
                    _dispatcher.SetBlocked(from, blocked: true);
                    _dispatcher.Dispatch(outbox);
                    break;
                case TaskUnblocked:
                    _dispatcher.SetBlocked(from, blocked: false);
                    break;
                case GetObject get:
                    RouteGet(get, outbox);
                    break;
                case ObjectReply reply:
                    _openRequests.Remove((reply.Requester.Process, reply.RequestId));
                    outbox.Add(reply.Requester.Process, reply);
                    break;
                case CreateObject create:
                    outbox.Add(from, CreateForProcess(create));
                    break;
                case SealObject seal:
                    _store.Seal(seal.Object, seal.Value.Format);
                    break;
                case FreeObjects free:
                    foreach (var id in free.Objects)
                    {
                        _store.Free(id);
                    }

                    break;
                case PinObject pin:
                    outbox.Add(from, PinForProcess(from, pin));
                    break;
                case UnpinObject unpin:
                    UnpinForProcess(from, unpin.Object);
                    break;
                default:
                    // Hello twice, Shutdown or ExecuteTask from a runtime: not meaningful here; ignored.
                    break;
            }
        }

        outbox.Flush();
    }

    private void RouteResult(TaskFinished finished, Outbox outbox)
    {
        if (_links.ContainsKey(finished.Owner.Process))
        {
            outbox.Add(finished.Owner.Process, finished);
            return;
        }

        // The owner died: nobody can reach these values, so their store copies go now.
        foreach (var value in finished.Returns)
        {
            if (value.Location == ValueLocation.Stored)
            {
                _store.Free(value.Id);
            }
        }
    }

    private void RouteGet(GetObject get, Outbox outbox)
    {
        if (!_links.ContainsKey(get.Owner.Process))
        {
            outbox.Add(get.Requester.Process, OwnerGone(get.RequestId, get.Requester, get.Object));
            return;
        }

        _openRequests[(get.Requester.Process, get.RequestId)] = (get.Owner.Process, get.Object);
        outbox.Add(get.Owner.Process, get);
    }

    private CreateReply CreateForProcess(CreateObject create)
    {
        var offset = _store.TryCreate(create.Object, create.Size);
        return offset is { } at
            ? new CreateReply { RequestId = create.RequestId, Offset = at }
            : new CreateReply
            {
                RequestId = create.RequestId,
                Offset = -1,
                Error = new ErrorInfo(ErrorKind.StoreFull, "Plexus.ObjectStoreFullException",
                    $"The object store has no room for {create.Size} bytes ({_store.Used} of {_store.Capacity} bytes in use).",
                    string.Empty, null),
            };
    }

    private PinReply PinForProcess(int process, PinObject pin)
    {
        var value = _store.TryPin(pin.Object);
        if (value is not null)
        {
            if (!_pinsByProcess.TryGetValue(process, out var pins))
            {
                _pinsByProcess[process] = pins = [];
            }

            pins.Add(pin.Object);
        }

        return new PinReply { RequestId = pin.RequestId, Found = value is not null, Value = value };
    }

    private void UnpinForProcess(int process, ObjectId id)
    {
        if (_pinsByProcess.TryGetValue(process, out var pins) && pins.Remove(id))
        {
            _store.Unpin(id);
        }
    }

    private static ObjectReply OwnerGone(long requestId, ProcessAddress requester, ObjectId id) => new()
    {
        RequestId = requestId,
        Requester = requester,
        Value = ObjectValue.FailedValue(id, new ErrorInfo(ErrorKind.ObjectLost, "Plexus.OwnerDiedException",
            $"The owner of object {id} has exited; its objects are gone with it.", string.Empty, null)),
    };

    private void OnProcessDied(int process)
    {
        var outbox = NewOutbox();
        var restart = false;
        lock (_lock)
        {
            _links.Remove(process);
            var worker = _dispatcher.RemoveWorker(process, outbox, spec => _logger.TaskRetried(spec.Id, spec.Attempt));
            if (worker is not null)
            {
                _logger.WorkerDied(process, worker.OsProcess?.Id ?? 0, worker.InFlight.Count);
                restart = !_disposed;
            }

            if (_pinsByProcess.Remove(process, out var pins))
            {
                foreach (var id in pins)
                {
                    _store.Unpin(id);
                }
            }

            foreach (var (key, target) in _openRequests.Where(r => r.Value.Owner == process).ToList())
            {
                _openRequests.Remove(key);
                outbox.Add(key.Requester, OwnerGone(key.RequestId, new ProcessAddress(NodeId, key.Requester), target.Object));
            }

            _dispatcher.Dispatch(outbox);
        }

        outbox.Flush();
        if (restart)
        {
            StartWorker();
        }
    }

    /// <summary>Stops the workers (asking first, then killing) and releases the store.</summary>
    public async ValueTask DisposeAsync()
    {
        List<System.Diagnostics.Process> processes;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            processes = [.. _dispatcher.Workers.Values.Select(w => w.OsProcess).OfType<System.Diagnostics.Process>(), .. _starting.Values];
            foreach (var worker in _dispatcher.Workers.Values)
            {
                worker.Link.Send(new Shutdown());
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (var process in processes)
        {
            await StopProcessAsync(process).ConfigureAwait(false);
        }

        _store.Dispose();
    }

    private static async Task StopProcessAsync(System.Diagnostics.Process process)
    {
        using (process)
        {
            try
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Never started or already reaped.
            }
        }
    }
}
