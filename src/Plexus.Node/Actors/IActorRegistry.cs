using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Where the names of actors are kept, and so how far a name is unique: on this node alone
/// (<see cref="LocalActorRegistry"/>, the embedded cluster's) or in the whole cluster (a node of
/// a cluster asks its control service). The node registers a named actor before it places it on a
/// worker, or before it holds it for a node that can host it (the name is taken from then on), asks
/// it for names it looks up, and tells it when a named actor ends. Unnamed actors and calls never
/// come here.
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
    /// <returns>Null when registered; else the live actor holding the name already.</returns>
    /// <remarks>A remote registry's task faults when it cannot be reached or refuses (the node is not alive in the cluster).</remarks>
    ValueTask<RegisteredActor?> RegisterAsync(ActorSpec actor, ulong node, bool held);

    /// <summary>The live actor named <paramref name="name"/> in <paramref name="namespace"/>; null when none is.</summary>
    /// <remarks>A remote registry's task faults when it cannot be reached.</remarks>
    ValueTask<RegisteredActor?> LookupAsync(string @namespace, string name);

    /// <summary>A named actor registered here ended (for <paramref name="reason"/>): its name is free.</summary>
    void Ended(ActorSpec actor, string reason);
}

/// <summary>An actor as a registry knows it: enough of its spec to call it (id, creator, class, name), and the node hosting it.</summary>
internal sealed record RegisteredActor(ActorSpec Spec, ulong Node);
