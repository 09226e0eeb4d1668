namespace Plexus.Node;

/// <summary>
/// A node's store as one report tells it: its totals and use per job, exact, and its largest
/// objects, at most <see cref="StoreSummary.ObjectsReported"/>. Taken under the node's lock by
/// <see cref="StoreSummary.Take"/>, turned into a message after it.
/// </summary>
internal sealed record StoreSnapshot(
    long Capacity, long Used, long SpilledBytes, int ObjectCount, IReadOnlyDictionary<JobId, JobStoreTotals> Jobs, IReadOnlyList<ObjectSnapshot> Largest);

/// <summary>One job's objects in a node's store.</summary>
internal sealed class JobStoreTotals
{
    public long Bytes { get; set; }

    public long Objects { get; set; }

    // Bytes of its objects that are on disk only (spilled, or being read back).
    public long SpilledBytes { get; set; }
}

/// <summary>One object of the store at a report.</summary>
/// <param name="Id">The object.</param>
/// <param name="Size">Its bytes.</param>
/// <param name="State">Where its bytes are.</param>
/// <param name="CopyOf">The primary's node for a secondary copy; null for the node's own objects.</param>
/// <param name="Owner">The owner's process number on the node (negative for a process of another node).</param>
/// <param name="OwnerPid">The owner's pid; 0 when it is not on this node or not known.</param>
/// <param name="Pins">Readers holding it in memory.</param>
internal readonly record struct ObjectSnapshot(ObjectId Id, long Size, StoredObjectState State, ulong? CopyOf, int Owner, int OwnerPid, int Pins);
