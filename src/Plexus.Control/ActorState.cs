namespace Plexus.Control;

/// <summary>Whether an actor the control service knows is alive, held for a node that can host it, being restarted, or dead.</summary>
internal enum ActorState
{
    /// <summary>Registered by its node and not ended: its name, if any, is taken.</summary>
    Alive,

    /// <summary>Ended, its node died, or its job finished (unless detached): its name is free.</summary>
    Dead,

    /// <summary>
    /// Held by its node until a node that can host it joins: its name is taken, and calls wait at
    /// that node. The node that hosts it in the end registers it again, and it is <see cref="Alive"/> there.
    /// </summary>
    Pending,

    /// <summary>
    /// A restartable actor whose node died, being built again by the node the service chose: its
    /// name stays taken, and nodes holding its calls wait until it is alive again.
    /// </summary>
    Restarting,
}
