using Plexus.Binding;
using Plexus.ObjectStore;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// A runtime's access to its node's object store: directly when the node runs in the same
/// process (the embedded driver), by messages from a worker process.
/// </summary>
internal interface IStoreAccess : IPinHolder
{
    SharedMemoryArena Arena { get; }

    /// <summary>
    /// Reserves space for an object owned by <paramref name="owner"/> (whose death frees it). When
    /// the store is full the node queues the request while it asks runtimes to collect and spills
    /// objects to disk; throws <see cref="ObjectStoreFullException"/> when no room appeared within
    /// the node's create timeout, or at once for an object larger than the store. Cancelling stops
    /// the wait; space granted afterwards is given back.
    /// </summary>
    ValueTask<long> CreateAsync(ObjectId id, long size, ProcessAddress owner, CancellationToken cancellationToken = default);

    void Seal(ObjectId id, ObjectValue value);

    /// <summary>
    /// Pins a stored object (a value whose location is Stored) for reading; null when it is gone.
    /// A spilled object is read back from disk first, and one in another node's store
    /// (<see cref="ObjectValue.Node"/>) is copied into this node's first, each at an offset of
    /// its own: read at the returned value's offset, never the one you had. Throws
    /// <see cref="ObjectStoreFullException"/> when no room for it appeared within the node's
    /// create timeout, <see cref="ObjectLostException"/> when reading it back or copying it failed
    /// (the message names the node and why).
    /// </summary>
    ValueTask<ObjectValue?> PinAsync(ObjectValue stored);

    /// <summary>Releases a pin taken by <see cref="PinAsync"/>, naming the version it returned.</summary>
    void Unpin(ObjectValue pinned);

    /// <summary>A view's pin, released when the view is disposed.</summary>
    void IPinHolder.Unpin(object pinned) => Unpin((ObjectValue)pinned);

    void Free(ObjectId[] ids);
}
