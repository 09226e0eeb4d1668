using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Decides whether a restartable actor (<see cref="ActorSpec.MaxRestarts"/> not 0) that died is
/// built again, and keeps its checkpoints: the node's own (<see cref="LocalActorSupervisor"/>, the
/// embedded cluster's) or, in a cluster, the control service's, which alone decides a node's death
/// and keeps the counts across a restart of the service. Only restartable actors come here.
/// </summary>
/// <remarks>
/// Called under the node's lock, so no call may block: a remote supervisor only starts its request
/// and answers (the returned task) once the remote side has; the node takes the answer up under its
/// lock. The node that hosts an actor reports each incarnation's death once.
/// </remarks>
internal interface IActorSupervisor
{
    /// <summary>
    /// Incarnation <paramref name="incarnation"/> of <paramref name="actor"/>, hosted by
    /// <paramref name="node"/>, died for <paramref name="cause"/>: restart it there (with the next
    /// incarnation and its last checkpoint) or end it.
    /// </summary>
    /// <remarks>A remote supervisor's task faults when it cannot be reached.</remarks>
    ValueTask<ActorRestartDecision> ReportFailureAsync(ActorSpec actor, ulong node, long incarnation, ActorDeathCause cause);

    /// <summary>
    /// Keeps <paramref name="state"/>, saved on <paramref name="node"/> by incarnation <paramref name="incarnation"/> after
    /// <paramref name="callsApplied"/> calls, as the state a restart of <paramref name="actor"/>
    /// resumes from, unless a newer one is kept (a later incarnation, or more calls in the same one).
    /// </summary>
    /// <returns>Null when kept (or a newer one is); else why it could not be, as a sentence for the user.</returns>
    /// <remarks>A remote supervisor's task faults when it cannot be reached.</remarks>
    ValueTask<string?> SaveCheckpointAsync(ActorSpec actor, ulong node, long incarnation, long callsApplied, byte[] state);

    /// <summary>A restartable actor ended for good (killed, its creator exited, restarts used up): what was kept for it goes.</summary>
    /// <remarks>Told by <paramref name="node"/>: ignored unless that node hosts the actor.</remarks>
    void Ended(ActorSpec actor, ulong node);
}

/// <summary>What a supervisor decided for an actor that died: built again, or ended for a cause.</summary>
/// <param name="Incarnation">The incarnation to build (one more than the one that died); unused when it ends.</param>
/// <param name="Checkpoint">The state to restore after the constructor; null to start from the constructor's.</param>
/// <param name="Reason">Why it ended, for the message its calls fail with; null when it restarts.</param>
/// <param name="Cause">Why it ended; <see cref="ActorDeathCause.Unknown"/> when it restarts.</param>
internal sealed record ActorRestartDecision(long Incarnation, byte[]? Checkpoint, string? Reason, ActorDeathCause Cause)
{
    /// <summary>Whether the actor is built again.</summary>
    public bool Restarts => Reason is null;

    public static ActorRestartDecision Restart(long incarnation, byte[]? checkpoint) => new(incarnation, checkpoint, null, ActorDeathCause.Unknown);

    public static ActorRestartDecision End(string reason, ActorDeathCause cause) => new(0, null, reason, cause);
}
