using Plexus.Protocol.Messages;

namespace Plexus.Node;

public sealed partial class NodeDaemon
{
    /// <summary>
    /// Handles one message from a runtime on this node. A message that breaks the protocol throws
    /// <see cref="ProtocolViolationException"/>, which closes that runtime's connection only.
    /// </summary>
    private void Receive(int from, Message message)
    {
        var outbox = NewOutbox();
        lock (_lock)
        {
            switch (message)
            {
                case SubmitTask submit:
                    ProtocolViolationException.ThrowIfNull(submit.Spec, "SubmitTask.Spec");
                    ProtocolViolationException.ThrowIfNull(submit.Spec.Args, "TaskSpec.Args");
                    ProtocolViolationException.ThrowIfNull(submit.Spec.Function, "TaskSpec.Function");
                    _dispatcher.Enqueue(submit.Spec);
                    _dispatcher.Dispatch(outbox);
                    break;
                case TaskFinished finished:
                    ProtocolViolationException.ThrowIfNull(finished.Returns, "TaskFinished.Returns");
                    if (_dispatcher.Complete(from, finished.Task) is not null)
                    {
                        RouteResult(finished, outbox);
                    }

                    _dispatcher.Dispatch(outbox);
                    break;
                case TaskBlocked blocked:
                    _dispatcher.SetBlocked(from, blocked.Task, blocked: true);
                    _dispatcher.Dispatch(outbox);
                    break;
                case TaskUnblocked unblocked:
                    _dispatcher.SetBlocked(from, unblocked.Task, blocked: false);
                    break;
                case GetObject get:
                    RouteGet(get, outbox);
                    break;
                case ObjectReply reply:
                    ProtocolViolationException.ThrowIfNull(reply.Value, "ObjectReply.Value");
                    _openRequests.Remove((reply.Requester.Process, reply.RequestId));
                    outbox.Add(reply.Requester.Process, reply);
                    break;
                case CreateObject create:
                    outbox.Add(from, CreateForProcess(create));
                    break;
                case SealObject seal:
                    ProtocolViolationException.ThrowIfNull(seal.Value, "SealObject.Value");
                    _store.Seal(seal.Object, seal.Value.Format);
                    break;
                case FreeObjects free:
                    ProtocolViolationException.ThrowIfNull(free.Objects, "FreeObjects.Objects");
                    foreach (var id in free.Objects)
                    {
                        _store.Free(id);
                    }

                    break;
                case PinObject pin:
                    outbox.Add(from, PinForProcess(from, pin));
                    break;
                case UnpinObject unpin:
                    UnpinForProcess(from, unpin.Object, unpin.Offset);
                    break;
                case RefUpdate update:
                    if (_links.ContainsKey(update.Owner.Process)) { outbox.Add(update.Owner.Process, update); }
                    break;
                case CollectDone:
                    break;
                case DescribeObjects describe:
                    outbox.Add(describe.Target.Process, describe);
                    break;
                case ObjectsDescribed described:
                    outbox.Add(described.Requester.Process, described);
                    break;
                default:
                    throw new ProtocolViolationException($"a runtime may not send {message.GetType().Name} to its node");
            }
        }

        outbox.Flush();
    }

    private bool IsLocal(ProcessAddress address) => address.Node == NodeId;

    private void RouteResult(TaskFinished finished, Outbox outbox)
    {
        if (IsLocal(finished.Owner) && _links.ContainsKey(finished.Owner.Process))
        {
            outbox.Add(finished.Owner.Process, finished);
            return;
        }

        // The owner died: nobody can reach these values, so their store copies go now.
        foreach (var value in finished.Returns)
        {
            if (value?.Location == ValueLocation.Stored)
            {
                _store.Free(value.Id);
            }
        }
    }

    private void RouteGet(GetObject get, Outbox outbox)
    {
        if (!IsLocal(get.Owner) || !_links.ContainsKey(get.Owner.Process))
        {
            outbox.Add(get.Requester.Process, OwnerGone(get.RequestId, get.Requester, get.Object));
            return;
        }

        _openRequests[(get.Requester.Process, get.RequestId)] = (get.Owner.Process, get.Object);
        outbox.Add(get.Owner.Process, get);
    }

    private CreateReply CreateForProcess(CreateObject create)
    {
        var offset = IsLocal(create.Owner) ? _store.TryCreate(create.Object, create.Size, create.Owner.Process) : null;
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

            pins.Add((pin.Object, value.Offset));
        }

        return new PinReply { RequestId = pin.RequestId, Found = value is not null, Value = value };
    }

    private void UnpinForProcess(int process, ObjectId id, long offset)
    {
        if (_pinsByProcess.TryGetValue(process, out var pins) && pins.Remove((id, offset)))
        {
            _store.Unpin(id, offset);
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
            var worker = _dispatcher.RemoveWorker(process, outbox, spec => _logger.TaskRetried(spec.Name ?? spec.Function.Method, spec.Id, spec.Attempt));
            if (worker is not null && !_disposed)
            {
                _logger.WorkerDied(process, worker.OsProcess?.Id ?? 0, worker.InFlight.Count);
                restart = true;
            }

            // Objects fate-share with their owner: its queued tasks, store objects and pins go.
            _dispatcher.DropQueuedTasksOf(process);
            _store.FreeOwnedBy(process);
            if (_pinsByProcess.Remove(process, out var pins))
            {
                foreach (var (id, offset) in pins)
                {
                    _store.Unpin(id, offset);
                }
            }

            foreach (var (key, target) in _openRequests.Where(r => r.Value.Owner == process || r.Key.Requester == process).ToList())
            {
                _openRequests.Remove(key);
                if (key.Requester != process)
                {
                    outbox.Add(key.Requester, OwnerGone(key.RequestId, new ProcessAddress(NodeId, key.Requester), target.Object));
                }
            }

            foreach (var link in _links.Keys) { outbox.Add(link, new ProcessExited { Process = process }); }
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

        // Workers exit on Shutdown, or when their connection closes: wait for all at once.
        await Task.WhenAll(processes.Select(StopProcessAsync)).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
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
