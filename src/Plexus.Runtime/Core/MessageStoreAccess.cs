using Plexus.ObjectStore;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>Store access for a worker process (or an attached driver): each operation is a message to its node, <paramref name="node"/>.</summary>
internal sealed class MessageStoreAccess(SharedMemoryArena arena, ulong node, PendingRequests requests, Action<Message> send) : IStoreAccess
{
    public SharedMemoryArena Arena => arena;

    public async ValueTask<long> CreateAsync(ObjectId id, long size, ProcessAddress owner, CancellationToken cancellationToken = default)
    {
        var (requestId, reply) = requests.Open();
        send(new CreateObject { RequestId = requestId, Object = id, Size = size, Owner = owner });
        try
        {
            return StoreReplies.OffsetOrThrow(PendingRequests.Expect<CreateReply>(await reply.WaitAsync(cancellationToken).ConfigureAwait(false)), size);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node may still grant the space: then it is sealed empty and freed, so nothing leaks.
            _ = reply.ContinueWith(granted =>
            {
                if (granted.IsCompletedSuccessfully && granted.Result is CreateReply { Error: null, Offset: >= 0 } empty)
                {
                    send(new SealObject { Object = id, Value = ObjectValue.StoredValue(id, ValueFormat.MessagePack, empty.Offset, size, node) });
                    send(new FreeObjects { Objects = [id] });
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    public void Seal(ObjectId id, ObjectValue value) => send(new SealObject { Object = id, Value = value });

    public async ValueTask<ObjectValue?> PinAsync(ObjectValue stored)
    {
        var (requestId, reply) = requests.Open();
        send(new PinObject { RequestId = requestId, Object = stored.Id, Node = stored.Node });
        return StoreReplies.PinnedOrThrow(PendingRequests.Expect<PinReply>(await reply.ConfigureAwait(false)));
    }

    public void Unpin(ObjectValue pinned) => send(new UnpinObject { Object = pinned.Id, Offset = pinned.Offset });

    public void Free(ObjectId[] ids) => send(new FreeObjects { Objects = ids });
}

/// <summary>The node's answers to create and pin, as the runtime sees them: a value, or a typed exception.</summary>
internal static class StoreReplies
{
    /// <summary>The offset to write at; throws <see cref="ObjectStoreFullException"/> (with the node's account of who holds the store) when there was no room.</summary>
    public static long OffsetOrThrow(CreateReply reply, long size) => reply switch
    {
        { Error: null, Offset: >= 0 } => reply.Offset,
        { Error: { } error } => throw Errors.ToException(error),
        _ => throw new ObjectStoreFullException($"The object store has no room for {size} bytes."),
    };

    /// <summary>
    /// The pinned version (at its current offset, which a restore from disk may have changed);
    /// null when the object is gone. Throws when a spilled object could not be read back, or one on
    /// another node could not be copied here: no room in time (<see cref="ObjectStoreFullException"/>),
    /// or the read or copy failed (<see cref="ObjectLostException"/>, naming the node and why).
    /// </summary>
    public static ObjectValue? PinnedOrThrow(PinReply reply) => reply switch
    {
        { Error: { } error } => throw Errors.ToException(error),
        { Found: true } => reply.Value,
        _ => null,
    };
}
