using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Restarts decided by the node itself, for a node that is the whole cluster (the embedded one):
/// it counts each restartable actor's restarts in memory and answers at once. Touched only under
/// the node's lock.
/// </summary>
internal sealed class LocalActorSupervisor : IActorSupervisor
{
    // Restartable actors that died at least once: the restarts they used. The node reports each
    // incarnation's death once (it is the only one that sees it), so a count is never doubled.
    private readonly Dictionary<TaskId, int> _restarts = [];

    public ValueTask<ActorRestartDecision> ReportFailureAsync(ActorSpec actor, long incarnation, ActorDeathCause cause)
    {
        var restarts = _restarts.GetValueOrDefault(actor.Id);
        if (actor.MaxRestarts != -1 && restarts >= actor.MaxRestarts)
        {
            _restarts.Remove(actor.Id);
            return ValueTask.FromResult(ActorRestartDecision.End(
                $"Actor {actor.Id} ({actor.Constructor.Type}) died ({Describe(cause)}) after it was restarted {restarts} times, " +
                $"all that ActorOptions.MaxRestarts ({actor.MaxRestarts}) allows. Create it again, or allow more restarts.",
                ActorDeathCause.RestartsExhausted));
        }

        _restarts[actor.Id] = restarts + 1;
        return ValueTask.FromResult(ActorRestartDecision.Restart(incarnation + 1, null));
    }

    public void Ended(ActorSpec actor) => _restarts.Remove(actor.Id);

    private static string Describe(ActorDeathCause cause) => cause switch
    {
        ActorDeathCause.WorkerDied => "its worker process died",
        ActorDeathCause.NodeDied => "its node died",
        _ => cause.ToString(),
    };
}
