using Plexus.Core;
using Plexus.Node;
using Plexus.ObjectStore;
using Plexus.Protocol.Messages;

namespace Plexus.Hosting;

/// <summary>Store access for the driver embedded in the node's own process: plain calls.</summary>
internal sealed class DirectStoreAccess(NodeDaemon node, Action<Message> send) : IStoreAccess
{
    public SharedMemoryArena Arena => node.Arena;

    public async ValueTask<long> CreateAsync(ObjectId id, long size, ProcessAddress owner, CancellationToken cancellationToken = default) =>
        StoreReplies.OffsetOrThrow(await node.CreateObjectAsync(id, size, cancellationToken).ConfigureAwait(false), size);

    public void Seal(ObjectId id, ObjectValue value) => node.SealObject(id, value.Format);

    public async ValueTask<ObjectValue?> PinAsync(ObjectValue stored) =>
        StoreReplies.PinnedOrThrow(await node.PinObjectAsync(stored.Id, stored.Node).ConfigureAwait(false));

    public void Unpin(ObjectValue pinned) => node.UnpinObject(pinned.Id, pinned.Offset);

    public void Free(ObjectId[] ids) => send(new FreeObjects { Objects = ids });
}
