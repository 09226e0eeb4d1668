using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Actor names kept by the node itself, unique among its own live actors: a node that is the
/// whole cluster (the embedded one) needs nothing more. It answers at once, so the node decides a
/// creation or a lookup in the same step as before names could be kept elsewhere. Touched only
/// under the node's lock.
/// </summary>
internal sealed class LocalActorRegistry : IActorRegistry
{
    // (namespace, name) → the live actor holding it.
    private readonly Dictionary<(string Namespace, string Name), RegisteredActor> _names = [];

    public ValueTask<RegisteredActor?> RegisterAsync(ActorSpec actor, ulong node, bool held, ActorCode code = default)
    {
        var name = actor.Name ?? throw new ArgumentException($"Actor {actor.Id} has no name to register.", nameof(actor));
        // The same actor again: a held one, now placed.
        if (_names.TryGetValue((actor.Namespace, name), out var holder) && holder.Spec.Id != actor.Id)
        {
            return ValueTask.FromResult<RegisteredActor?>(holder);
        }

        _names[(actor.Namespace, name)] = new RegisteredActor(actor, node);
        return ValueTask.FromResult<RegisteredActor?>(null);
    }

    public ValueTask<RegisteredActor?> LookupAsync(string @namespace, string name) =>
        ValueTask.FromResult(_names.GetValueOrDefault((@namespace, name)));

    public bool KeepsRestartableActors => false;

    // Only the node itself hosts actors: nobody asks where one of them went.
    public ValueTask<ActorWhereabouts?> FindAsync(TaskId actor) => ValueTask.FromResult<ActorWhereabouts?>(null);

    public void Ended(ActorSpec actor, ulong node, string reason)
    {
        if (actor.Name is { } name && _names.TryGetValue((actor.Namespace, name), out var holder) && holder.Spec.Id == actor.Id)
        {
            _names.Remove((actor.Namespace, name));
        }
    }
}
