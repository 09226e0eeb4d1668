using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Where the names of actors are kept, and so how far a name is unique: on this node alone
/// (<see cref="LocalActorRegistry"/>, the embedded cluster's) or in the whole cluster (a node of
/// a cluster asks its control service). The node registers a named actor before it places it on a
/// worker, or before it holds it for a node that can host it (the name is taken from then on), asks
/// it for names it looks up, and tells it when a named actor ends. In a cluster, restartable actors
/// are registered too, named or not (<see cref="KeepsRestartableActors"/>), so that the service can
/// have them built again when their node dies. Other actors and calls never come here.
/// </summary>
/// <remarks>
/// Called under the node's lock, so no call may block: a remote registry only starts its request,
/// and answers (the returned task) once the remote side has. Requests of one node take effect in
/// the order it made them, so an actor's end is known before a later registration of its name.
/// </remarks>
internal interface IActorRegistry
{
    /// <summary>
    /// Registers <paramref name="actor"/>, a named actor that <paramref name="node"/> is about to
    /// host, or to hold for a node that can host it (<paramref name="held"/>), and reserves its name
    /// in its namespace. A held actor registered again, by the node that hosts it in the end, moves
    /// there: it is the same actor, so not refused as a duplicate of itself.
    /// </summary>
    /// <param name="actor">The actor.</param>
    /// <param name="node">The node hosting (or holding) it.</param>
    /// <param name="held">Whether it is held for a node that can host it.</param>
    /// <param name="code">The code it runs, kept with a restartable actor so that another node can build it.</param>
    /// <returns>Null when registered; else the live actor holding the name already.</returns>
    /// <remarks>A remote registry's task faults when it cannot be reached or refuses (the node is not alive in the cluster).</remarks>
    ValueTask<RegisteredActor?> RegisterAsync(ActorSpec actor, ulong node, bool held, ActorCode code = default);

    /// <summary>The live actor named <paramref name="name"/> in <paramref name="namespace"/>; null when none is.</summary>
    /// <remarks>A remote registry's task faults when it cannot be reached.</remarks>
    ValueTask<RegisteredActor?> LookupAsync(string @namespace, string name);

    /// <summary>
    /// A named actor registered here ended on <paramref name="node"/> (for <paramref name="reason"/>):
    /// its name is free, unless another node hosts it now (it was restarted there after this node was declared dead).
    /// </summary>
    void Ended(ActorSpec actor, ulong node, string reason);

    /// <summary>
    /// Whether restartable actors are registered here, named or not, and restarted when their node
    /// dies (a cluster's registry); a node that is the whole cluster has no node to lose.
    /// </summary>
    bool KeepsRestartableActors { get; }

    /// <summary>
    /// Where actor <paramref name="actor"/> is and what became of it, as the registry knows it;
    /// null when it does not (an actor neither named nor restartable, or one that ended long ago).
    /// </summary>
    /// <remarks>A remote registry's task faults when it cannot be reached.</remarks>
    ValueTask<ActorWhereabouts?> FindAsync(TaskId actor);
}

/// <summary>The code an actor runs: its job's package (null for the node's own program) and the job's driver, when known.</summary>
internal readonly record struct ActorCode(string? Package, ProcessAddress? Driver);

/// <summary>
/// An actor as a registry knows it: enough of its spec to call it (id, creator, class, name), the
/// node hosting it, and whether it is being built again after its node died (the node is then the
/// dead one).
/// </summary>
internal sealed record RegisteredActor(ActorSpec Spec, ulong Node, bool Restarting = false);

/// <summary>What a registry knows of an actor found by id (see <see cref="IActorRegistry.FindAsync"/>).</summary>
/// <param name="Node">The node hosting it (or holding it, or that hosted it when it died).</param>
/// <param name="Restarting">It is being built again after its node died; <paramref name="Node"/> is that node.</param>
/// <param name="Ended">Why it ended, with the cause; null while it lives.</param>
/// <param name="MaxRestarts">How many times it may be built again (-1 without limit).</param>
/// <param name="MaxTaskRetries">How many times a call in flight when it died is sent again (-1 without limit).</param>
internal sealed record ActorWhereabouts(ulong Node, bool Restarting, (string Reason, ActorDeathCause Cause)? Ended, int MaxRestarts, int MaxTaskRetries);
