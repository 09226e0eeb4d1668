using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// An actor whose node this node lost, while the registry says what became of it (restarted on
/// another node, or ended): the calls this node had in flight to it (<see cref="Interrupted"/>)
/// and those that came since (<see cref="Held"/>) wait here, then go to its next incarnation or
/// fail with why it ended. Only touched under the node's lock.
/// </summary>
/// <param name="lostNode">The node it lived on.</param>
/// <param name="deadline">When to give up waiting for a restart.</param>
internal sealed class ActorRestartWait(ulong lostNode, DateTimeOffset deadline)
{
    /// <summary>The node the actor lived on.</summary>
    public ulong LostNode { get; } = lostNode;

    /// <summary>When waiting for a restart ends.</summary>
    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>The calls in flight on the lost node, with whether their predecessor came through after them.</summary>
    public List<RemoteCalls.Sent> Interrupted { get; } = [];

    /// <summary>Calls that came since, in their order, with the peer that passed each on (0 for this node's processes).</summary>
    public List<(ActorCall Call, ulong FromPeer)> Held { get; } = [];

    /// <summary>A kill that came meanwhile: it follows the calls to the next incarnation (or is moot when the actor ended).</summary>
    public KillActor? Kill { get; set; }

    /// <summary>
    /// The calls to send to the next incarnation, in order (the interrupted ones first, sent again
    /// while <paramref name="maxRetries"/> allows, see <see cref="InterruptedCalls"/>), and the ones
    /// that fail. An interrupted call whose predecessor came through since no longer waits for it.
    /// </summary>
    public (List<(ActorCall Call, ulong FromPeer)> Send, List<ActorCall> Failed) Plan(int maxRetries)
    {
        var interrupted = Interrupted.Select(s => s.PredecessorSeen ? s.Call with { After = 0 } : s.Call);
        var plan = InterruptedCalls.Resend(interrupted, new Dictionary<(ProcessAddress, TaskId), long>(), maxRetries);
        var send = plan.Send.Select(call => (call, 0UL)).Concat(Held).ToList();
        return (send, plan.Failed);
    }

    /// <summary>Every call waiting here, to fail when the actor ended.</summary>
    public IEnumerable<ActorCall> All => Interrupted.Select(s => s.Call).Concat(Held.Select(h => h.Call)).Where(c => !c.Cancelled);
}
