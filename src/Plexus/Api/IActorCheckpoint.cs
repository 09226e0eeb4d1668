namespace Plexus;

/// <summary>
/// An actor whose state survives its restarts (<see cref="ActorOptions.MaxRestarts"/>): the
/// runtime saves its state every <see cref="ActorOptions.CheckpointEvery"/> calls and on
/// <see cref="ActorHandle{T}.CheckpointAsync"/>, and a restarted instance is given the last saved
/// state after its constructor ran, before any call.
/// </summary>
/// <typeparam name="TState">
/// The saved state: any value Plexus can pass (see README, What can be passed), without futures or
/// actor handles inside. Keep it small: it is stored by the cluster, not in the object store.
/// </typeparam>
public interface IActorCheckpoint<TState>
{
    /// <summary>
    /// Returns the actor's state. Called on the actor's worker while none of its calls runs. An
    /// exception fails <see cref="ActorHandle{T}.CheckpointAsync"/> (a periodic checkpoint is skipped).
    /// </summary>
    TState SaveCheckpoint();

    /// <summary>
    /// Takes back a state <see cref="SaveCheckpoint"/> returned, on a restarted instance. An exception
    /// ends the actor (<see cref="ActorDeathCause.ConstructorFailed"/>).
    /// </summary>
    void RestoreCheckpoint(TState state);
}
