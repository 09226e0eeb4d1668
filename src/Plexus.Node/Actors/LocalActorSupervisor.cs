using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Restarts decided by the node itself, for a node that is the whole cluster (the embedded one):
/// it counts each restartable actor's restarts and keeps its newest checkpoint in memory (until
/// the actor ends), and answers at once. Touched only under
/// the node's lock.
/// </summary>
internal sealed class LocalActorSupervisor : IActorSupervisor
{
    // Restartable actors that died at least once: the restarts they used. The node reports each
    // incarnation's death once (it is the only one that sees it), so a count is never doubled.
    private readonly Dictionary<TaskId, int> _restarts = [];
    // The newest checkpoint of each restartable actor that saved one.
    private readonly Dictionary<TaskId, (long Incarnation, long Calls, byte[] State)> _checkpoints = [];

    public ValueTask<ActorRestartDecision> ReportFailureAsync(ActorSpec actor, ulong node, long incarnation, ActorDeathCause cause)
    {
        var restarts = _restarts.GetValueOrDefault(actor.Id);
        if (actor.MaxRestarts != -1 && restarts >= actor.MaxRestarts)
        {
            return ValueTask.FromResult(ActorRestartDecision.End(
                ActorDeathReasons.RestartsExhausted(actor.Id.ToString(), actor.Constructor.Type, restarts, cause), ActorDeathCause.RestartsExhausted));
        }

        _restarts[actor.Id] = restarts + 1;
        var checkpoint = _checkpoints.TryGetValue(actor.Id, out var saved) ? saved.State : null;
        return ValueTask.FromResult(ActorRestartDecision.Restart(incarnation + 1, checkpoint));
    }

    public ValueTask<string?> SaveCheckpointAsync(ActorSpec actor, ulong node, long incarnation, long callsApplied, byte[] state)
    {
        if (!_checkpoints.TryGetValue(actor.Id, out var kept) || (incarnation, callsApplied).CompareTo((kept.Incarnation, kept.Calls)) > 0)
        {
            _checkpoints[actor.Id] = (incarnation, callsApplied, state);
        }

        return ValueTask.FromResult<string?>(null);
    }

    public void Ended(ActorSpec actor, ulong node)
    {
        _restarts.Remove(actor.Id);
        _checkpoints.Remove(actor.Id);
    }
}
