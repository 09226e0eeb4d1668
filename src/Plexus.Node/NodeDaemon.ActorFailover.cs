using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Restartable actors across the death of their node (docs/ARCHITECTURE.md, "Actor restarts").
/// The control service decides: it marks such an actor restarting and hands its restart to a live
/// node in that node's heartbeat replies (<see cref="RestartActors"/>), which builds it (its next
/// incarnation, from its last checkpoint) and registers it alive there. Every node that loses the
/// link to a node hosting actors it calls keeps the calls it had in flight there
/// (<see cref="RemoteCalls"/>), holds them and any new ones (<see cref="ActorRestartWait"/>), and
/// asks the registry where the actor went until it is alive again (then the calls go there, sent
/// again as its <see cref="ActorSpec.MaxTaskRetries"/> allows) or ended (they fail saying why).
/// </summary>
internal sealed partial class NodeDaemon
{
    // How long calls wait for an actor whose node was lost to be restarted, before they fail.
    private static readonly TimeSpan RestartWaitLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FirstRestartPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestRestartPoll = TimeSpan.FromMilliseconds(500);

    private readonly RemoteCalls _remoteCalls = new();
    // Actors whose node was lost, by id, while their calls wait here for the registry's word.
    private readonly Dictionary<TaskId, ActorRestartWait> _restartWaits = [];
    // The restarts the service asked of this node and that it made: actor → incarnation (repeated assignments are made once).
    private readonly Dictionary<TaskId, long> _restartsMade = [];

    /// <summary>
    /// The control service asks this node to build actors whose node died: each is hosted here
    /// (pending until a worker can hold it) and registered alive, once per incarnation.
    /// </summary>
    public void RestartActors(IReadOnlyList<ActorRestartAssignment> assignments) => Locked(outbox =>
    {
        foreach (var assignment in assignments)
        {
            var spec = assignment.Actor.Spec;
            if (_actors.Hosts(spec.Id) || (_restartsMade.TryGetValue(spec.Id, out var made) && made >= assignment.Incarnation))
            {
                continue;
            }

            _restartsMade[spec.Id] = assignment.Incarnation;
            _logger.ActorRestartingHere(spec.Id, spec.Constructor.Type, assignment.Incarnation);
            if (assignment.Actor.Package is { } package)
            {
                UseJobPackage(spec.Id.Job, package, outbox, assignment.Actor.Driver);
            }

            _actors.OnRestartActor(spec, assignment.Incarnation, assignment.Checkpoint, outbox);
            WhenAnswered(
                _names.RegisterAsync(spec, NodeId, held: false, CodeOf(spec.Id.Job)), (registration, then) => OnRestartRegistered(spec, registration, then), outbox);
        }
    });

    // Under the lock: the actor is alive here for the cluster, or it ends here (another node has it, or the service could not be told).
    private void OnRestartRegistered(ActorSpec spec, Task<RegisteredActor?> registration, Outbox outbox)
    {
        var id = spec.Id;
        var problem = registration.Exception is { } failure ? failure.GetBaseException().Message
            : registration.Result is { } holder && holder.Spec.Id != id ? $"its name is taken by actor {holder.Spec.Id}"
            : null;
        if (problem is null)
        {
            // Calls this node held for it go to it now, without waiting for the next poll.
            if (_restartWaits.TryGetValue(id, out var wait))
            {
                ResendHeldCalls(id, wait, new ActorWhereabouts(NodeId, Restarting: false, Ended: null, spec.MaxRestarts, spec.MaxTaskRetries), outbox);
            }

            return;
        }

        if (registration.Exception is not null)
        {
            _restartsMade.Remove(id); // Asked again, it is made again.
        }

        _actors.OnKillActor(new KillActor
        {
            Actor = id,
            Reason = $"Actor {id} was restarted on node {NodeId:x16} after its node died, but the cluster could not record it there: {problem}.",
            Cause = (byte)ActorDeathCause.NodeDied,
        }, outbox);
    }

    // A peer is lost: the calls this node had in flight to actors there, and the actors it knew there, wait for the registry's word.
    private void WaitForRestartsOf(ulong peer, IReadOnlySet<TaskId> actors, Outbox outbox)
    {
        var interrupted = _remoteCalls.TakeLost(peer, actors);
        foreach (var actor in actors.Concat(interrupted.Select(s => s.Call.Actor)).Distinct())
        {
            WaitForRestart(actor, peer);
        }

        foreach (var sent in interrupted)
        {
            _restartWaits[sent.Call.Actor].Interrupted.Add(sent);
        }
    }

    // Calls of `actor`, whose node `lostNode` is gone, wait here from now on while the registry is asked what became of it.
    private void WaitForRestart(TaskId actor, ulong lostNode)
    {
        if (_restartWaits.ContainsKey(actor))
        {
            return;
        }

        _restartWaits[actor] = new ActorRestartWait(lostNode, _time.GetUtcNow() + RestartWaitLimit);
        _ = AskWhereActorWentAsync(actor);
    }

    private async Task AskWhereActorWentAsync(TaskId actor)
    {
        var delay = FirstRestartPoll;
        var settled = false;
        while (!settled && !_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            ActorWhereabouts? found = null;
            Exception? failure = null;
            try
            {
                found = await _names.FindAsync(actor).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e;
            }

            Locked(outbox => settled = OnWhereabouts(actor, found, failure, outbox));
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRestartPoll.Ticks));
        }
    }

    // Under the lock: what the registry said of an actor whose calls wait here; true once they went on or failed.
    private bool OnWhereabouts(TaskId actor, ActorWhereabouts? found, Exception? failure, Outbox outbox)
    {
        if (!_restartWaits.TryGetValue(actor, out var wait))
        {
            return true;
        }

        var diedWithNode = $"Actor {actor} died with its node {wait.LostNode:x16}";
        var late = _time.GetUtcNow() > wait.Deadline;
        if (found is { Ended: null, Restarting: false } && (found.Node == NodeId ? _actors.Hosts(actor) : _peers.TryGet(found.Node, out _)))
        {
            // Alive where this node can reach it: restarted elsewhere, or on the node whose link came back (it was not declared dead).
            ResendHeldCalls(actor, wait, found, outbox);
            return true;
        }

        if (failure is not null || found is { Ended: null, Restarting: true } || found?.Node == wait.LostNode && found.Ended is null && found.MaxRestarts != 0)
        {
            // Not decided yet (the service has not declared the node dead, or the restart is being made), or the service is unreachable.
            if (late)
            {
                EndWait(actor, wait, $"{diedWithNode}, and was not restarted within {RestartWaitLimit.TotalSeconds:0} s" +
                    (failure is null ? "." : $" (the cluster could not be asked: {failure.GetBaseException().Message})."), ActorDeathCause.NodeDied, outbox);
                return true;
            }

            return false;
        }

        if (found is null || found.Ended is not null || found.Node == wait.LostNode)
        {
            var (reason, cause) = found?.Ended ?? ($"{diedWithNode} (it is not restartable: ActorOptions.MaxRestarts is 0).", ActorDeathCause.NodeDied);
            EndWait(actor, wait, reason, cause, outbox);
            return true;
        }

        // Alive again on a node this one cannot reach (yet): the calls go there once it can.
        if (late)
        {
            EndWait(actor, wait, $"{diedWithNode}; it was restarted on node {found.Node:x16}, which this node cannot reach.", ActorDeathCause.NodeDied, outbox);
            return true;
        }

        return false;
    }

    // Under the lock: the actor is alive where this node reaches it; the calls that waited go there, in order.
    private void ResendHeldCalls(TaskId actor, ActorRestartWait wait, ActorWhereabouts found, Outbox outbox)
    {
        _restartWaits.Remove(actor);
        if (found.Node != NodeId)
        {
            _remoteActors[actor] = found.Node;
        }

        var (send, failed) = wait.Plan(found.MaxTaskRetries);
        foreach (var call in failed)
        {
            outbox.Add(call.Caller, ActorDeathAnswer.For(_address, call.Id, call.Caller,
                $"Actor {actor} lost its node {wait.LostNode:x16} while call {call.Name ?? call.Method.Method} was in flight, which is not sent again: it was sent " +
                $"{call.Attempt + 1} times, as ActorOptions.MaxTaskRetries ({found.MaxTaskRetries}) allows. The actor lives on (node {found.Node:x16}); call it again.",
                ActorDeathCause.NodeDied));
        }

        foreach (var (call, fromPeer) in send)
        {
            RouteCall(new CallActor { Call = call }, outbox, fromPeer);
        }

        if (wait.Kill is { } kill)
        {
            OnKillActor(kill, outbox, fromPeer: false);
        }
    }

    // Under the lock: the actor ended; its waiting calls fail saying why, and so will later ones.
    private void EndWait(TaskId actor, ActorRestartWait wait, string reason, ActorDeathCause cause, Outbox outbox)
    {
        _restartWaits.Remove(actor);
        _actors.RememberEnded(actor, reason, cause);
        foreach (var call in wait.All)
        {
            outbox.Add(call.Caller, ActorDeathAnswer.For(_address, call.Id, call.Caller, reason, cause));
        }
    }

    // A node that passed on a call of ours says where the actor lives: later calls go there directly.
    private void OnActorLocated(ActorLocated located)
    {
        if (!_actors.Hosts(located.Actor) && !_restartWaits.ContainsKey(located.Actor) && _peers.TryGet(located.Node, out _))
        {
            _remoteActors[located.Actor] = located.Node;
        }
    }
}
