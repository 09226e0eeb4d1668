using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>One version of an object in the node's store. Only touched under the node's lock.</summary>
internal sealed class StoredObject(ObjectId id, long offset, long size, int owner, int writer = ProcessAddress.NodeProcess)
{
    public ObjectId Id { get; } = id;

    // Its range in the arena; meaningless while Spilled, the new range while Restoring.
    public long Offset { get; set; } = offset;

    public long Size { get; } = size;

    // The process that owns the object; its death frees the object. A secondary copy's owner is
    // on another node: it has ProcessAddress.NodeProcess here, and its primary's free reaches it.
    // A copy adopted by its owner after its primary was lost takes the owner's number.
    public int Owner { get; set; } = owner;

    // The process that asked for the room and writes the bytes (a worker writing a task's return
    // for the task's owner); the node itself for a pulled copy. Its death before the seal aborts
    // the object: nobody else will ever finish it.
    public int Writer { get; } = writer;

    // Set when this is a secondary copy of another node's object (pulled into this store); null for
    // this node's own objects, and for a copy its owner adopted as the object's primary.
    public SecondaryCopy? Copy { get; set; }

    public ValueFormat Format { get; set; }

    public StoredObjectState State { get; set; } = StoredObjectState.Writing;

    // Readers currently holding the bytes (zero-copy views, running tasks' arguments).
    public int Pins { get; set; }

    // The store's access clock when the object was last created, sealed or pinned: spilling takes the oldest first.
    public long LastAccess { get; set; }

    // No longer in the store's table (freed or replaced). Set during spill or restore I/O, the
    // I/O's completion releases the range.
    public bool Removed { get; set; }

    // Where its bytes are on disk: while Spilled or Restoring, and after a restore while InMemory
    // (the kept copy: sealed bytes never change, so evicting it again needs no write).
    public SpillFile? File { get; set; }

    public long FileOffset { get; set; }

    // Pins waiting for the object to be back in memory, called under the node's lock when the
    // restore ends (null error: retry the pin) or fails.
    public List<Action<Outbox, ErrorInfo?>>? RestoreWaiters { get; set; }

    // The node's TimeProvider timestamp of the first pin that asked for a restore: the restore fails if no room appears within the create timeout.
    public long RestoreQueuedAt { get; set; }

    // The range it occupies in the arena now, if any.
    public bool HoldsRange => State is not StoredObjectState.Spilled;

    public StoredObjectInfo Describe() => new(Id, Owner, Size, State, Pins) { CopyOf = Copy?.Primary };
}
