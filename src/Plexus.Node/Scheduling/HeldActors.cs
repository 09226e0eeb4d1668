using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Actors created on this node that no node of the cluster can host now (none offers what they
/// ask, or the one chosen is not linked yet): they wait here as pending actors (their handles work,
/// their calls wait with them) and are placed again with each new view of the cluster, like held
/// tasks. Kept with the creation request, which the hosting node answers. Only touched under the node's lock.
/// </summary>
internal sealed class HeldActors
{
    // The creation request of each held actor, by actor id, in the order they were held.
    private readonly Dictionary<TaskId, CreateActor> _held = [];

    public void Hold(CreateActor create) => _held[create.Spec.Id] = create;

    /// <summary>The held actors, for placing again and for reports.</summary>
    public IReadOnlyCollection<CreateActor> All => _held.Values;

    /// <summary>Forgets an actor: placed, or ended while held.</summary>
    public void Release(TaskId actor) => _held.Remove(actor);
}
