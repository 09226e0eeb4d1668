using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Forwards messages between runtimes on their header alone, never on their type: a target on
/// this node goes to its process's link, a target on another node to the link to that node. It
/// keeps the requests it forwarded until their replies pass back, so that when a target exits,
/// or its node is lost, every request still open to it is answered with one
/// <see cref="RequestFailed"/>. Called under the node's lock; messages go through the <see cref="Outbox"/>.
/// </summary>
/// <remarks>
/// A request is a routed message with a request id that is not an <see cref="IReply"/>; its reply
/// is the <see cref="IReply"/> carrying that id back to the request's source. Request ids are
/// numbered by each source, so (source, id) names a request. Every router on the way keeps the
/// request: the target's node answers when the target exits, the source's node when the link to
/// the target's node is lost; a failure passing back closes the request on each node it crosses.
/// Per-sender order is kept: one link per process and per peer, each FIFO.
/// </remarks>
internal sealed class Router(LocalAddresses addresses, ProcessTable processes, IPeerLinks peers)
{
    // Requests forwarded and not answered yet, by (source, request id): the target they went to.
    private readonly Dictionary<(ProcessAddress Source, long RequestId), ProcessAddress> _open = [];

    /// <summary>The number of requests forwarded and not answered yet.</summary>
    public int OpenRequests => _open.Count;

    /// <summary>
    /// Forwards a message a process of this node sent. A process speaks only for itself: a header
    /// source other than its own address throws <see cref="ProtocolViolationException"/>.
    /// Returns false when the target cannot be reached (a request is then answered as failed).
    /// </summary>
    public bool RouteFromProcess(int from, Message message, Outbox outbox)
    {
        addresses.ValidateSender(from, message.Source, "The header's source");
        return Route(message, outbox);
    }

    /// <summary>
    /// Forwards a message a peer node passed on. Its source must be that peer or one of its
    /// processes (a node answers for the work it ran: a task that failed there), and its target a
    /// process of this node (peers do not relay for one another); else
    /// <see cref="ProtocolViolationException"/>.
    /// </summary>
    public bool RouteFromPeer(ulong peer, Message message, Outbox outbox)
    {
        if (message.Source.Node != peer)
        {
            throw new ProtocolViolationException($"Node {peer:x16} passed on a {message.GetType().Name} from {message.Source}, not from one of its processes");
        }

        if (!addresses.IsLocal(message.Target))
        {
            throw new ProtocolViolationException($"Node {peer:x16} passed on a {message.GetType().Name} for {message.Target}, which is not on this node");
        }

        return Route(message, outbox);
    }

    /// <summary>
    /// Delivers an answer peer node <paramref name="peer"/> itself gives a runtime of this node (an
    /// actor it hosts was created, a call or task it took on failed, a task it dropped for arguments it
    /// cannot reach, what a job's worker printed or logged): only answers (<see cref="IReply"/> or
    /// <see cref="TaskFinished"/>), <see cref="ArgumentsLost"/>, <see cref="WorkerOutput"/> and <see cref="TaskLogs"/>,
    /// only to a process of this node; else
    /// <see cref="ProtocolViolationException"/>.
    /// </summary>
    public void DeliverFromPeerNode(ulong peer, Message message, Outbox outbox)
    {
        if (message is not (IReply or TaskFinished or WorkerOutput or TaskLogs or ArgumentsLost) || !addresses.IsLocal(message.Target) || message.Target.IsNode)
        {
            throw new ProtocolViolationException($"Node {peer:x16} sent a {message.GetType().Name} for {message.Target} in its own name");
        }

        if (processes.Find(message.Target.Process) is { } link)
        {
            outbox.Add(link, message);
        }
    }

    /// <summary>A process of this node, or of a peer, exited: the requests open to it fail, and those it asked are forgotten.</summary>
    public void OnProcessExited(ProcessAddress process, Outbox outbox) =>
        FailOpen(target => target == process, source => source == process, $"Process {process} has exited", outbox);

    /// <summary>Called under the lock when the link to a peer node is lost, after the requests open to it have failed.</summary>
    public event Action<ulong, Outbox>? PeerLost;

    /// <summary>The link to a peer node is lost: requests open to its processes fail, and those they asked are forgotten.</summary>
    public void OnPeerLost(ulong node, Outbox outbox)
    {
        FailOpen(target => target.Node == node, source => source.Node == node, $"The link to node {node:x16} was lost", outbox);
        PeerLost?.Invoke(node, outbox);
    }

    private bool Route(Message message, Outbox outbox)
    {
        if (message is not IRouted)
        {
            throw new ProtocolViolationException($"a {message.GetType().Name} is the node's to send; it is not forwarded between processes");
        }

        var isReply = message is IReply;
        if (isReply)
        {
            // Only the target's answer closes a request: another process's reply with a guessed id does not.
            var request = (message.Target, message.RequestId);
            if (_open.TryGetValue(request, out var target) && target == message.Source)
            {
                _open.Remove(request);
            }
        }
        else if (message.RequestId != 0)
        {
            _open[(message.Source, message.RequestId)] = message.Target;
        }

        if (LinkTo(message.Target) is { } link)
        {
            outbox.Add(link, message);
            return true;
        }

        if (!isReply && message.RequestId != 0)
        {
            _open.Remove((message.Source, message.RequestId));
            Fail(message.Source, message.Target, message.RequestId, $"{message.Target} cannot be reached (it has exited, or its node is not connected)", outbox);
        }

        return false;
    }

    /// <summary>The link a message for <paramref name="target"/> leaves by: its process's here, or its node's; null if none.</summary>
    public IMessageLink? LinkTo(ProcessAddress target)
    {
        if (target.IsNode)
        {
            return null;
        }

        if (addresses.IsLocal(target))
        {
            return processes.Find(target.Process);
        }

        return peers.TryGet(target.Node, out var peer) ? peer : null;
    }

    private void FailOpen(Func<ProcessAddress, bool> targetGone, Func<ProcessAddress, bool> sourceGone, string why, Outbox outbox)
    {
        foreach (var ((source, requestId), target) in _open.Where(r => targetGone(r.Value) || sourceGone(r.Key.Source)).ToList())
        {
            _open.Remove((source, requestId));
            if (!sourceGone(source))
            {
                Fail(source, target, requestId, why, outbox);
            }
        }
    }

    // The answer the target would have given, had it been there: to the source, wherever it is.
    private void Fail(ProcessAddress source, ProcessAddress target, long requestId, string why, Outbox outbox)
    {
        var failed = new RequestFailed
        {
            Target = source,
            Source = target,
            RequestId = requestId,
            // The process that would answer is gone: to a fetch, the object's owner died.
            Error = ErrorInfo.Of(ErrorKind.OwnerDied, $"{why}: request {requestId} of {source} to it gets no answer."),
        };
        if (LinkTo(source) is { } link)
        {
            outbox.Add(link, failed);
        }
    }
}
