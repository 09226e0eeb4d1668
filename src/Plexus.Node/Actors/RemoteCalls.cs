using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The actor calls a node sent to other nodes for its own processes, until their answer passes
/// back through it: when the node hosting an actor is lost, the calls it took with it are known
/// here, to send again to the actor's next incarnation (see <see cref="ActorRestartWait"/>).
/// Only touched under the node's lock.
/// </summary>
/// <remarks>
/// A call sent before its scope's predecessor (<see cref="ActorCall.After"/>: the predecessor's
/// arguments were not ready) must keep waiting for it at the next incarnation unless the
/// predecessor came through here since: then the predecessor is answered or sent again before it.
/// </remarks>
internal sealed class RemoteCalls
{
    /// <summary>A call sent to <see cref="Peer"/>, and whether its predecessor came through this node after it.</summary>
    public sealed class Sent(ulong peer, ActorCall call)
    {
        public ulong Peer { get; } = peer;

        public ActorCall Call { get; } = call;

        public bool PredecessorSeen { get; set; }
    }

    private readonly Dictionary<TaskId, Sent> _sent = [];
    // Calls sent before their predecessor: (caller, scope, actor, the predecessor's sequence) → call id.
    private readonly Dictionary<(ProcessAddress Caller, TaskId Scope, TaskId Actor, long Sequence), TaskId> _beforePredecessor = [];

    /// <summary>How many calls are in flight on other nodes.</summary>
    public int Count => _sent.Count;

    /// <summary>A call of this node's processes went to <paramref name="peer"/> (cancelled markers are never answered, so not kept).</summary>
    public void Sending(ActorCall call, ulong peer)
    {
        if (call.Cancelled)
        {
            return;
        }

        _sent[call.Id] = new Sent(peer, call);
        if (call.After != 0)
        {
            _beforePredecessor[(call.Caller, call.Scope, call.Actor, call.After)] = call.Id;
        }
    }

    /// <summary>A call of this node's processes passes through, to wherever it goes: a call sent before it, waiting for it, need not wait any more.</summary>
    public void Passing(ActorCall call)
    {
        if (_beforePredecessor.Count > 0 && _beforePredecessor.Remove((call.Caller, call.Scope, call.Actor, call.Sequence), out var successor)
            && _sent.TryGetValue(successor, out var sent))
        {
            sent.PredecessorSeen = true;
        }
    }

    /// <summary>The answer to <paramref name="call"/> passed back: it is no longer in flight.</summary>
    public void Answered(TaskId call)
    {
        if (_sent.Remove(call, out var sent) && sent.Call.After != 0)
        {
            _beforePredecessor.Remove((sent.Call.Caller, sent.Call.Scope, sent.Call.Actor, sent.Call.After));
        }
    }

    /// <summary>Takes the calls in flight sent to <paramref name="peer"/> or to one of <paramref name="actors"/>, the ones a lost node took with it.</summary>
    public List<Sent> TakeLost(ulong peer, IReadOnlySet<TaskId> actors)
    {
        var lost = _sent.Values.Where(s => s.Peer == peer || actors.Contains(s.Call.Actor)).ToList();
        foreach (var sent in lost)
        {
            Answered(sent.Call.Id);
        }

        return lost;
    }
}
