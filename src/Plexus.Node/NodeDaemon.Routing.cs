using Plexus.Protocol.Messages;

namespace Plexus.Node;

internal sealed partial class NodeDaemon
{
    /// <summary>
    /// Handles one message from a runtime on this node. A message that breaks the protocol throws
    /// <see cref="ProtocolViolationException"/>, which closes that runtime's connection only.
    /// </summary>
    private void Receive(int from, Message message)
    {
        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            switch (message)
            {
                case SubmitTask submit:
                    ProtocolViolationException.ThrowIfNull(submit.Spec, "SubmitTask.Spec");
                    ProtocolViolationException.ThrowIfNull(submit.Spec.Args, "TaskSpec.Args");
                    ProtocolViolationException.ThrowIfNull(submit.Spec.Function, "TaskSpec.Function");
                    if (!_scheduler.Enqueue(submit.Spec))
                    {
                        _logger.TaskInfeasible(submit.Spec.DisplayName, submit.Spec.Id, submit.Spec.Cpus, _scheduler.SlotsPerWorker);
                    }

                    _scheduler.Dispatch(outbox);
                    break;
                case TaskFinished finished:
                    ProtocolViolationException.ThrowIfNull(finished.Returns, "TaskFinished.Returns");
                    if (_scheduler.Complete(from, finished.Task, outbox) is not null || _actors.CompleteCall(finished, outbox))
                    {
                        RouteResult(finished, outbox);
                    }

                    _scheduler.Dispatch(outbox);
                    break;
                case TaskStarted started:
                    _scheduler.SetStarted(from, started.Task);
                    break;
                case TaskBlocked blocked:
                    _scheduler.SetBlocked(from, blocked.Task, blocked: true);
                    _scheduler.Dispatch(outbox);
                    break;
                case TaskUnblocked unblocked:
                    _scheduler.SetBlocked(from, unblocked.Task, blocked: false);
                    break;
                case GetObject get:
                    _objects.Get(get, outbox);
                    break;
                case ObjectReply reply:
                    ProtocolViolationException.ThrowIfNull(reply.Value, "ObjectReply.Value");
                    _objects.OnReply(reply, outbox);
                    break;
                case CreateObject create:
                    _objects.Create(from, create, outbox);
                    break;
                case SealObject seal:
                    ProtocolViolationException.ThrowIfNull(seal.Value, "SealObject.Value");
                    _objects.Seal(seal.Object, seal.Value.Format);
                    break;
                case FreeObjects free:
                    ProtocolViolationException.ThrowIfNull(free.Objects, "FreeObjects.Objects");
                    _objects.Free(free.Objects, outbox);
                    break;
                case PinObject pin:
                    _objects.Pin(from, pin.RequestId, pin.Object, (later, reply) => later.Add(from, reply), outbox);
                    break;
                case UnpinObject unpin:
                    _objects.Unpin(from, unpin.Object, unpin.Offset, outbox);
                    break;
                case RefUpdate update:
                    RouteRefUpdate(from, update, outbox);
                    break;
                case CollectDone done:
                    _pressure.OnCollectDone(from, done.Round);
                    break;
                case CreateActor create:
                    _actors.OnCreateActor(from, create, outbox);
                    break;
                case CallActor call:
                    _actors.OnCallActor(from, call, outbox);
                    break;
                case KillActor kill:
                    _actors.OnKillActor(kill, outbox);
                    break;
                case LookupActor lookup:
                    _actors.OnLookupActor(from, lookup, outbox);
                    break;
                case ListActors list:
                    _actors.OnListActors(from, list, outbox);
                    break;
                case DescribeObjects describe:
                    _objects.Describe(from, describe, outbox);
                    break;
                case ObjectsDescribed described:
                    ProtocolViolationException.ThrowIfNull(described.Objects, "ObjectsDescribed.Objects");
                    _objects.OnDescribed(described, outbox);
                    break;
                default:
                    throw new ProtocolViolationException($"a runtime may not send {message.GetType().Name} to its node");
            }
        }

        outbox.Flush();
    }

    private void RouteResult(TaskFinished finished, Outbox outbox)
    {
        if (_addresses.IsLocal(finished.Owner) && _processes.IsConnected(finished.Owner.Process))
        {
            outbox.Add(finished.Owner.Process, finished);
            return;
        }

        // The owner died: nobody can reach these values, so their store copies go now.
        _objects.FreeStored(finished.Returns, outbox);
    }

    /// <summary>
    /// Forwards reference-count changes to the owner's runtime. A process speaks only for itself:
    /// a <see cref="RefUpdate.From"/> other than the sender's own address breaks the protocol.
    /// </summary>
    private void RouteRefUpdate(int from, RefUpdate update, Outbox outbox)
    {
        ValidateSender(from, update.From, "RefUpdate.From");
        if (_addresses.IsLocal(update.Owner) && _processes.IsConnected(update.Owner.Process))
        {
            outbox.Add(update.Owner.Process, update);
        }

        // Else the owner is gone, and its objects with it: nothing to count.
    }

    /// <summary>Throws <see cref="ProtocolViolationException"/> unless <paramref name="claimed"/> is the address of process <paramref name="from"/> on this node.</summary>
    internal void ValidateSender(int from, ProcessAddress claimed, string field) => _addresses.ValidateSender(from, claimed, field);
}
