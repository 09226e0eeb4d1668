namespace Plexus.Control;

/// <summary>Whether an actor the control service knows is alive.</summary>
internal enum ActorState
{
    /// <summary>Registered by its node and not ended: its name, if any, is taken.</summary>
    Alive,

    /// <summary>Ended, its node died, or its job finished (unless detached): its name is free.</summary>
    Dead,
}
