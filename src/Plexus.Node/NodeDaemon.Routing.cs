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
                    if (!_dispatcher.Enqueue(submit.Spec))
                    {
                        _logger.TaskInfeasible(submit.Spec.DisplayName, submit.Spec.Id, submit.Spec.Cpus, _slotsPerWorker);
                    }

                    _dispatcher.Dispatch(outbox);
                    break;
                case TaskFinished finished:
                    ProtocolViolationException.ThrowIfNull(finished.Returns, "TaskFinished.Returns");
                    if (_dispatcher.Complete(from, finished.Task, outbox) is not null || CompleteActorCall(finished, outbox))
                    {
                        RouteResult(finished, outbox);
                    }

                    _dispatcher.Dispatch(outbox);
                    break;
                case TaskStarted started:
                    _dispatcher.SetStarted(from, started.Task);
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
                    CreateForProcess(from, create, outbox);
                    break;
                case SealObject seal:
                    ProtocolViolationException.ThrowIfNull(seal.Value, "SealObject.Value");
                    _objects.Seal(seal.Object, seal.Value.Format);
                    break;
                case FreeObjects free:
                    ProtocolViolationException.ThrowIfNull(free.Objects, "FreeObjects.Objects");
                    foreach (var id in free.Objects)
                    {
                        _objects.Free(id, outbox);
                    }

                    break;
                case PinObject pin:
                    PinFor(from, pin.RequestId, pin.Object, (later, reply) => later.Add(from, reply), outbox);
                    break;
                case UnpinObject unpin:
                    UnpinForProcess(from, unpin.Object, unpin.Offset, outbox);
                    break;
                case RefUpdate update:
                    RouteRefUpdate(from, update, outbox);
                    break;
                case CollectDone done:
                    OnCollectDone(from, done);
                    break;
                case CreateActor create:
                    OnCreateActor(from, create, outbox);
                    break;
                case CallActor call:
                    OnCallActor(from, call, outbox);
                    break;
                case KillActor kill:
                    OnKillActor(kill, outbox);
                    break;
                case LookupActor lookup:
                    OnLookupActor(from, lookup, outbox);
                    break;
                case ListActors list:
                    OnListActors(from, list, outbox);
                    break;
                case DescribeObjects describe:
                    RouteDescribe(from, describe, outbox);
                    break;
                case ObjectsDescribed described:
                    ProtocolViolationException.ThrowIfNull(described.Objects, "ObjectsDescribed.Objects");
                    _openDescribes.Remove((described.Requester.Process, described.RequestId));
                    if (IsLocal(described.Requester))
                    {
                        outbox.Add(described.Requester.Process, described);
                    }

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
                _objects.Free(value.Id, outbox);
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

    /// <summary>
    /// Forwards reference-count changes to the owner's runtime. A process speaks only for itself:
    /// a <see cref="RefUpdate.From"/> other than the sender's own address breaks the protocol.
    /// </summary>
    private void RouteRefUpdate(int from, RefUpdate update, Outbox outbox)
    {
        ValidateSender(from, update.From, "RefUpdate.From");
        if (IsLocal(update.Owner) && _links.ContainsKey(update.Owner.Process))
        {
            outbox.Add(update.Owner.Process, update);
        }

        // Else the owner is gone, and its objects with it: nothing to count.
    }

    /// <summary>Throws <see cref="ProtocolViolationException"/> unless <paramref name="claimed"/> is the address of process <paramref name="from"/> on this node.</summary>
    internal void ValidateSender(int from, ProcessAddress claimed, string field)
    {
        var own = new ProcessAddress(NodeId, from);
        if (claimed != own)
        {
            throw new ProtocolViolationException($"{field} is {claimed}, but the sender is {own}");
        }
    }

    private void RouteDescribe(int from, DescribeObjects describe, Outbox outbox)
    {
        ValidateSender(from, describe.Requester, "DescribeObjects.Requester");
        if (!IsLocal(describe.Target) || !_links.ContainsKey(describe.Target.Process))
        {
            outbox.Add(from, NothingDescribed(describe.RequestId, describe.Requester));
            return;
        }

        _openDescribes[(from, describe.RequestId)] = describe.Target.Process;
        outbox.Add(describe.Target.Process, describe);
    }

    private static ObjectsDescribed NothingDescribed(long requestId, ProcessAddress requester) =>
        new() { RequestId = requestId, Requester = requester, Objects = [] };

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
            var death = WorkerExit.Describe(process, _dispatcher.Workers.GetValueOrDefault(process)?.OsProcess);
            var worker = _dispatcher.RemoveWorker(process, death, outbox, spec => _logger.TaskRetried(spec.DisplayName, spec.Id, spec.Attempt));
            if (worker is not null && !_disposed)
            {
                _logger.WorkerDied(process, worker.OsProcess?.Id ?? 0, worker.InFlight.Count);
                restart = true;
            }

            // Objects fate-share with their owner: its queued tasks, store objects, waiting creates and pins go.
            _dispatcher.DropQueuedTasksOf(process, outbox);
            if (_pinsByProcess.Remove(process, out var pins))
            {
                foreach (var (id, offset) in pins)
                {
                    _objects.Unpin(id, offset, outbox);
                }
            }

            _objects.OnProcessDied(process, outbox);
            EndActorsOf(process, outbox);
            _round?.Answered(process);
            AnswerRequestedRounds(process, roundNumber: null);
            foreach (var (key, target) in _openRequests.Where(r => r.Value.Owner == process || r.Key.Requester == process).ToList())
            {
                _openRequests.Remove(key);
                if (key.Requester != process)
                {
                    outbox.Add(key.Requester, OwnerGone(key.RequestId, new ProcessAddress(NodeId, key.Requester), target.Object));
                }
            }

            foreach (var (key, target) in _openDescribes.Where(r => r.Value == process || r.Key.Requester == process).ToList())
            {
                _openDescribes.Remove(key);
                if (key.Requester != process)
                {
                    outbox.Add(key.Requester, NothingDescribed(key.RequestId, new ProcessAddress(NodeId, key.Requester)));
                }
            }

            // Borrowers' owners drop the registrations the dead process held.
            foreach (var link in _links.Values)
            {
                outbox.Add(link, new ProcessExited { Process = process });
            }

            _dispatcher.Dispatch(outbox);
        }

        outbox.Flush();
        if (restart)
        {
            StartWorker();
        }
    }

    /// <summary>
    /// Stops the workers (asking first, then killing), answers every waiting create and restore,
    /// and releases the store and its spill files.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        List<System.Diagnostics.Process> processes;
        var outbox = NewOutbox();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            processes = [.. _dispatcher.Workers.Values.Select(w => w.OsProcess).OfType<System.Diagnostics.Process>(), .. _starting.Values, .. _actors.DedicatedProcesses];
            foreach (var link in _actors.DedicatedLinks(_links))
            {
                link.Send(new Shutdown());
            }

            foreach (var worker in _dispatcher.Workers.Values)
            {
                worker.Link.Send(new Shutdown());
            }

            _objects.FailAll(outbox);
        }

        outbox.Flush();
        // Workers exit on Shutdown, or when their connection closes: wait for all at once.
        await Task.WhenAll(processes.Select(StopProcessAsync)).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        // No spill or restore may touch the arena once it is unmapped.
        await _pressureLoop.ConfigureAwait(false);
        Task[] restoring;
        lock (_lock)
        {
            restoring = [.. _restoring];
        }

        await Task.WhenAll(restoring).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        lock (_lock)
        {
            _spills.Dispose();
        }

        _store.Dispose();
        _wake.Dispose();
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
