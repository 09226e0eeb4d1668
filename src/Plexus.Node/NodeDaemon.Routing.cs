using Plexus.Protocol.Messages;

namespace Plexus.Node;

internal sealed partial class NodeDaemon
{
    /// <summary>
    /// Handles one message from a runtime on this node: a message for the node itself goes to its
    /// parts; any other is the router's, after the parts that must see it pass have seen it. A
    /// message that breaks the protocol throws <see cref="ProtocolViolationException"/>, which
    /// closes that runtime's connection only.
    /// </summary>
    private void Receive(int from, Message message)
    {
        message.Validate();
        // Before anything changes: a message refused half-way would leave the parts' state and
        // the messages already decided out of step.
        _addresses.ValidateSender(from, message.Source, "The header's source");
        var outbox = _processes.NewOutbox();
        try
        {
            Decide(from, message, outbox);
        }
        finally
        {
            // What was decided before a fault is sent still: other processes' tasks, answers.
            outbox.Flush();
        }
    }

    private void Decide(int from, Message message, Outbox outbox)
    {
        lock (_lock)
        {
            if (message.Target == _address)
            {
                HandleNodeMessage(from, message, outbox);
            }
            else if (message is GetObject get && _access.Refusal(from, get, _address) is { } refusal)
            {
                // Never passed on: the owner is not asked about an id its job did not hand over.
                outbox.Add(get.Source, refusal);
                _logger.AccessDenied(from, refusal.Error.Message);
            }
            else if (message is not TaskFinished finished)
            {
                _router.RouteFromProcess(from, message, outbox);
            }
            else if (ObserveFinished(from, finished, outbox) && !_router.RouteFromProcess(from, finished, outbox))
            {
                // The owner died: nobody can reach these values, so their store copies go now.
                _objects.FreeStored(finished.Returns, outbox);
            }
        }
    }

    // A finished task frees its worker's slot, a finished call its actor's; false when it was
    // neither (a late answer from a killed actor), and nobody waits for it any more.
    private bool ObserveFinished(int from, TaskFinished finished, Outbox outbox)
    {
        var expected = CompleteTask(from, finished, outbox) || CompleteCall(finished, outbox);
        // What the task held (a slot, resources) goes to pending actors first, as an ended actor's does.
        _actors.PlaceWaitingActors(outbox);
        _scheduler.Dispatch(outbox);
        return expected;
    }

    private bool CompleteTask(int from, TaskFinished finished, Outbox outbox)
    {
        if (_scheduler.Complete(from, finished.Task, outbox) is not { } task)
        {
            return false;
        }

        _events.Record(finished.Error is null ? TaskEventKind.Finished : TaskEventKind.Failed, task, from, finished.Error);
        _metrics?.Activity.TaskFinished(TaskOutcomes.Of(finished.Error));
        return true;
    }

    private bool CompleteCall(TaskFinished finished, Outbox outbox)
    {
        // A constructor's answer bears the actor's own id: it is the actor's creation, not a call to it.
        var created = _metrics is not null && _actors.Hosts(finished.Task);
        if (!_actors.CompleteCall(finished, outbox))
        {
            return false;
        }

        if (!created)
        {
            _metrics?.Activity.ActorCallAnswered();
        }

        return true;
    }

    private void HandleNodeMessage(int from, Message message, Outbox outbox)
    {
        switch (message)
        {
            case SubmitTask submit:
                Submit(submit.Spec, outbox);
                _scheduler.Dispatch(outbox);
                break;
            case TaskStarted started:
                _scheduler.SetStarted(from, started.Task);
                break;
            case TaskWaitingForArgs waiting:
                _events.RecordWaitingForArgs(waiting);
                break;
            case TaskBlocked blocked:
                _scheduler.SetBlocked(from, blocked.Task, blocked: true);
                _scheduler.Dispatch(outbox);
                break;
            case TaskUnblocked unblocked:
                _scheduler.SetBlocked(from, unblocked.Task, blocked: false);
                break;
            case CreateObject create:
                _objects.Create(from, create, outbox);
                break;
            case SealObject seal:
                _objects.Seal(seal.Object, seal.Value.Format);
                break;
            case FreeObjects free when free.Node != 0 && free.Node != NodeId:
                // Owned here, stored on another node (a task ran there): freed there.
                if (_peers.TryGet(free.Node, out var holder))
                {
                    outbox.Add(holder, new FreeObjects { Target = ProcessAddress.NodeOf(free.Node), Source = _address, Objects = free.Objects });
                }

                break;
            case FreeObjects free:
                _objects.Free(free.Objects, outbox);
                break;
            case PinObject pin:
                PinHereOrPull(from, pin.RequestId, pin.Object, pin.Node, (later, reply) => later.Add(from, reply), outbox);
                break;
            case UnpinObject unpin:
                _objects.Unpin(from, unpin.Object, unpin.Offset, outbox);
                break;
            case CollectDone done:
                _pressure.OnCollectDone(from, done.Round);
                break;
            case ReferencesSummarized summarized:
                _referenceSummaries.Answered(from, summarized.RequestId, summarized.Summary);
                break;
            case CreateActor create:
                OnCreateActor(from, create, outbox);
                break;
            case CallActor call:
                OnCallActor(from, call, outbox);
                break;
            case KillActor kill when _access.Refusal(from, kill) is { } refusal:
                // A kill has no answer: the refusal is the node's log line, and the actor lives on.
                _logger.AccessDenied(from, refusal);
                break;
            case KillActor kill:
                OnKillActor(kill, outbox, fromPeer: false);
                break;
            case LookupActor lookup:
                OnLookupActor(from, lookup, outbox);
                break;
            case ListActors list:
                _actors.OnListActors(from, list, outbox);
                break;
            case SaveCheckpoint save:
                _actors.OnSaveCheckpoint(from, save, outbox);
                break;
            case CancelTask cancel:
                OnCancelTask(cancel, outbox);
                break;
            case LocateObjects locate:
                OnLocateObjects(from, locate, outbox);
                break;
            case AdoptCopies adopt:
                _addresses.ValidateSender(from, adopt.Owner, "AdoptCopies.Owner");
                OnAdoptCopies(adopt, outbox);
                break;
            case TaskLogs logs:
                _taskLogs.Relay(logs, _processes.PackageOf(from), PackageOf(logs.Job), DriverOf(logs.Job), outbox);
                break;
            case StopIfIdleAnswer answer:
                if (PoolOf(_processes.PackageOf(from))?.OnStopIfIdleAnswer(from, answer.Stopping) == true)
                {
                    _metrics?.Activity.WorkerStoppedIdle();
                }

                // A worker that stays takes what waited while it was asked.
                _actors.PlaceWaitingActors(outbox);
                _scheduler.Dispatch(outbox);
                break;
            default:
                throw new ProtocolViolationException($"a runtime may not send {message.GetType().Name} to its node");
        }
    }

    /// <summary>
    /// Handles one message from peer node <paramref name="peer"/>: a message for this node is a
    /// node-to-node message; any other goes to the router, for a process of this node.
    /// </summary>
    private void ReceiveFromPeer(ulong peer, Message message)
    {
        message.Validate();
        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            if (message.Target != _address && message.Source == ProcessAddress.NodeOf(peer))
            {
                OnFinishedFromPeer(message);
                _router.DeliverFromPeerNode(peer, message, outbox);
            }
            else if (message.Target != _address)
            {
                OnFinishedFromPeer(message);
                _router.RouteFromPeer(peer, message, outbox);
            }
            else if (message.Source != ProcessAddress.NodeOf(peer))
            {
                throw new ProtocolViolationException($"node {peer:x16} sent a {message.GetType().Name} to this node in the name of {message.Source}");
            }
            else
            {
                ReceiveNodeMessageFromPeer(peer, message, outbox);
            }
        }

        outbox.Flush();
    }

    // A message from peer node <paramref name="peer"/> for this node itself. Under the lock.
    private void ReceiveNodeMessageFromPeer(ulong peer, Message message, Outbox outbox)
    {
        switch (message)
        {
            case ProcessExited exited when exited.Process.Node == peer:
                _router.OnProcessExited(exited.Process, outbox);
                _scheduler.DropQueuedTasksOf(exited.Process, outbox);
                _actors.OnRemoteOwnersExited(owner => owner == exited.Process, outbox);
                _objects.OnRemoteOwnersExited(owner => owner == exited.Process, outbox);
                TellRuntimesExited(exited.Process, outbox);
                break;
            case ForwardTask forward:
                OnForwardedTask(forward, outbox);
                break;
            case NodeDraining:
                _view.Drain(peer);
                break;
            case FreeObjects free:
                _objects.Free(free.Objects, outbox);
                break;
            case ForwardActor forward:
                OnForwardedActor(forward, outbox);
                break;
            case CallActor call:
                RouteCall(call, outbox, fromPeer: peer);
                break;
            case ActorLocated located:
                OnActorLocated(located);
                break;
            case KillActor kill:
                OnKillActor(kill, outbox, fromPeer: true);
                break;
            case CancelTask cancel:
                OnCancelTask(cancel, outbox);
                break;
            case FindCopies find:
                OnFindCopies(peer, find, outbox);
                break;
            case CopiesFound found:
                OnCopiesFound(peer, found, outbox);
                break;
            case AdoptCopies adopt:
                OnAdoptCopies(adopt, outbox);
                break;
            case ITransferMessage transfer:
                // Once the node is disposed its store may be unmapped: no chunk may touch it.
                if (!_disposed)
                {
                    Transfers.Receive(peer, transfer, outbox);
                }

                break;
            default:
                throw new ProtocolViolationException($"node {peer:x16} may not send {message.GetType().Name} from {message.Source} to this node");
        }
    }

    // Owners on this node drop the registrations the process held as a borrower.
    private void TellRuntimesExited(ProcessAddress process, Outbox outbox)
    {
        foreach (var link in _processes.Links)
        {
            outbox.Add(link, new ProcessExited { Target = _addresses.Of(link.Process), Source = _address, Process = process });
        }
    }

    /// <summary>Requests this node forwarded (to its processes or its peers) and has not seen answered.</summary>
    internal int OpenRequests => Locked(() => _router.OpenRequests);

    /// <summary>Throws <see cref="ProtocolViolationException"/> unless <paramref name="claimed"/> is the address of process <paramref name="from"/> on this node.</summary>
    internal void ValidateSender(int from, ProcessAddress claimed, string field) => _addresses.ValidateSender(from, claimed, field);
}
