namespace Plexus.Node;

/// <summary>Where a stored object's bytes are, as <see cref="NodeDaemon.DescribeStore"/> reports it.</summary>
internal enum StoredObjectState
{
    /// <summary>Created and being written by its creator; not readable yet.</summary>
    Writing,
    /// <summary>Sealed and in shared memory.</summary>
    InMemory,
    /// <summary>Sealed and in shared memory, being copied to a spill file.</summary>
    Spilling,
    /// <summary>Only in a spill file on local disk; a pin brings it back.</summary>
    Spilled,
    /// <summary>Being read back from its spill file into shared memory.</summary>
    Restoring,
}

/// <summary>One object of the node's store: its owner process, size, state and readers.</summary>
/// <param name="Id">The object.</param>
/// <param name="Owner">The number of the process on this node that owns it (0 = the driver; -1 for a copy of another node's object).</param>
/// <param name="Size">Its encoded bytes.</param>
/// <param name="State">Where its bytes are.</param>
/// <param name="Pins">Readers holding it in memory (views, running tasks' arguments).</param>
internal sealed record StoredObjectInfo(ObjectId Id, int Owner, long Size, StoredObjectState State, int Pins)
{
    /// <summary>The node whose object this is a secondary copy of; null for this node's own objects.</summary>
    public ulong? CopyOf { get; init; }
}
