using Plexus.Node;
using Plexus.ObjectStore;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>Store access for the driver embedded in the node's own process: plain calls.</summary>
internal sealed class DirectStoreAccess(NodeDaemon node, Action<Message> send) : IStoreAccess
{
    public SharedMemoryArena Arena => node.Arena;

    public ValueTask<long> CreateAsync(ObjectId id, long size, ProcessAddress owner) =>
        node.TryCreateObject(id, size) is { } offset
            ? ValueTask.FromResult(offset)
            : throw new ObjectStoreFullException(
                $"The object store has no room for {size} bytes ({node.StoreUsed} bytes in use). Free objects you no longer need, or start with a larger StoreCapacity.");

    public void Seal(ObjectId id, ObjectValue value) => node.SealObject(id, value.Format);

    public ValueTask<ObjectValue?> PinAsync(ObjectId id) => ValueTask.FromResult(node.TryPinObject(id));

    public void Unpin(ObjectValue pinned) => node.UnpinObject(pinned.Id, pinned.Offset);

    public void Free(ObjectId[] ids) => send(new FreeObjects { Objects = ids });
}

/// <summary>Store access for a worker process: each operation is a message to its node.</summary>
internal sealed class MessageStoreAccess(SharedMemoryArena arena, PendingRequests requests, Action<Message> send) : IStoreAccess
{
    public SharedMemoryArena Arena => arena;

    public async ValueTask<long> CreateAsync(ObjectId id, long size, ProcessAddress owner)
    {
        var (requestId, reply) = requests.Open();
        send(new CreateObject { RequestId = requestId, Object = id, Size = size, Owner = owner });
        var created = (CreateReply)await reply.ConfigureAwait(false);
        return created.Offset >= 0
            ? created.Offset
            : throw new ObjectStoreFullException(created.Error?.Message ?? $"The object store has no room for {size} bytes.");
    }

    public void Seal(ObjectId id, ObjectValue value) => send(new SealObject { Object = id, Value = value });

    public async ValueTask<ObjectValue?> PinAsync(ObjectId id)
    {
        var (requestId, reply) = requests.Open();
        send(new PinObject { RequestId = requestId, Object = id });
        var pinned = (PinReply)await reply.ConfigureAwait(false);
        return pinned.Found ? pinned.Value : null;
    }

    public void Unpin(ObjectValue pinned) => send(new UnpinObject { Object = pinned.Id, Offset = pinned.Offset });

    public void Free(ObjectId[] ids) => send(new FreeObjects { Objects = ids });
}
