using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The objects freed because their owner's process exited, the last <see cref="Capacity"/> of
/// them: a reader that pins one is told its owner died (<see cref="ErrorKind.OwnerDied"/>), not
/// merely that it is gone. A reader can get there before its own runtime hears that the owner
/// exited (the node frees the objects first), and it must see the same error either way.
/// Called under the node's lock.
/// </summary>
internal sealed class OrphanedObjects
{
    public const int Capacity = 10_000;

    private readonly Dictionary<ObjectId, int> _owners = [];
    private readonly Queue<ObjectId> _order = new();

    public void Add(ObjectId id, int owner)
    {
        if (!_owners.TryAdd(id, owner))
        {
            return;
        }

        _order.Enqueue(id);
        if (_order.Count > Capacity)
        {
            _owners.Remove(_order.Dequeue());
        }
    }

    /// <summary>Why <paramref name="id"/> is not in the store, when its owner's exit took it; else null.</summary>
    public ErrorInfo? WhyGone(ObjectId id) => _owners.TryGetValue(id, out var owner)
        ? ErrorInfo.Of(ErrorKind.OwnerDied, $"The owner of object {id} (process {owner}) has exited; its objects are gone with it.")
        : null;
}
