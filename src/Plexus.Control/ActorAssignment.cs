namespace Plexus.Control;

/// <summary>
/// A restart the control service asks of a node, in its heartbeat replies: build
/// <see cref="Actor"/> (its <see cref="ActorInfo.Spec"/> and <see cref="ActorInfo.Incarnation"/>)
/// from <see cref="Checkpoint"/>, host it, and register it alive. Repeated until the node has.
/// </summary>
/// <param name="Actor">The actor whose node died, with the incarnation to build.</param>
/// <param name="Checkpoint">The state its last checkpoint saved; null for none.</param>
internal sealed record ActorAssignment(ActorInfo Actor, byte[]? Checkpoint);

/// <summary>The service's answer to a heartbeat.</summary>
/// <param name="Known">False when the service does not know the node as ALIVE: it must register again.</param>
/// <param name="Assignments">Restarts of actors whose node died that this node must make.</param>
internal sealed record HeartbeatAnswer(bool Known, IReadOnlyList<ActorAssignment> Assignments)
{
    /// <summary>Drivers submitted to the cluster this node must run, repeated until each ended: the node starts each submission once.</summary>
    public IReadOnlyList<Plexus.Protocol.Control.DriverAssignment> DriversToStart { get; init; } = [];

    /// <summary>Submissions running here that were stopped: their drivers are to be terminated.</summary>
    public IReadOnlyList<string> DriversToStop { get; init; } = [];
}
