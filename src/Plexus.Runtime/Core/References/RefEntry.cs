using Plexus.Core.Lineage;
using Plexus.Protocol.Messages;

namespace Plexus.Core.References;

/// <summary>
/// What one process knows of one object it owns or borrows: why it is still referenced, and its
/// value. An entry lives while any count is above zero; all fields are guarded by the
/// <see cref="ReferenceTable"/>'s lock.
/// </summary>
internal sealed class RefEntry(ObjectId id, ProcessAddress owner, bool owned)
{
    public ObjectId Id { get; } = id;

    public ProcessAddress Owner { get; } = owner;

    /// <summary>True when this process owns the object (it put it or submitted the task that makes it).</summary>
    public bool IsOwned { get; } = owned;

    /// <summary>Live <c>ObjectRef</c> instances in this process.</summary>
    public int Handles { get; set; }

    /// <summary>Tasks this process submitted, not yet finished, that take the object as an argument.</summary>
    public int PendingTasks { get; set; }

    /// <summary>Objects whose values this process holds (owned, or fetched) that contain a ref to this one.</summary>
    public int ContainedIn { get; set; }

    /// <summary>
    /// Owned only: registrations per borrowing process. A count may go negative for a moment when
    /// a borrower's release overtakes the grant that registered it; only positive counts hold the object.
    /// </summary>
    public Dictionary<ProcessAddress, int>? Borrowers { get; set; }

    /// <summary>Borrowed only: how many times the owner registered this process as a borrower.</summary>
    public int Registrations { get; set; }

    /// <summary>
    /// Owned only: the value once the task (or put) has made it; a new one while the object is made
    /// again after its last copy was lost (see <see cref="Recovering"/>).
    /// </summary>
    public TaskCompletionSource<ObjectValue>? Value { get; set; }

    /// <summary>
    /// Borrowed only: the proof that the object's job handed the ref over, when it came from another
    /// job; sent with the fetch, which the node refuses without it (none for a ref of this job).
    /// </summary>
    public Protocol.Security.CapabilityTag Capability { get; set; }

    /// <summary>Borrowed only: the value fetched from the owner, started on first use.</summary>
    public TaskCompletionSource<ObjectValue>? Fetched { get; set; }

    /// <summary>The refs inside this object's value, each counted in its own entry's <see cref="ContainedIn"/>.</summary>
    public NestedRef[]? Nested { get; set; }

    /// <summary>
    /// Owned only: the finished task that made the object (its lineage) when the object is stored,
    /// so it can be made again; shared by the task's returns, dropped with the last of them.
    /// </summary>
    public LineageRecord? Record { get; set; }

    /// <summary>
    /// Kept lineage records that take this object as an argument. While above zero an unreferenced
    /// entry stays: an owned one with lineage of its own gives up only its value
    /// (<see cref="ValueReleased"/>), one that cannot be made again (a put, an actor call's result)
    /// keeps its value, and a borrowed one keeps its registration with its owner.
    /// </summary>
    public int LineageRefs { get; set; }

    /// <summary>Owned only: nothing but lineage needs the object, so its store copy was freed; reading it makes it again.</summary>
    public bool ValueReleased { get; set; }

    /// <summary>
    /// Owned only: the object is being found or made again; <see cref="Value"/> is the new value's.
    /// While copies of it are searched for, <see cref="LostValue"/> says where it was.
    /// </summary>
    public bool Recovering { get; set; }

    /// <summary>Owned only: the value that was lost, while copies of it are searched for (then null).</summary>
    public ObjectValue? LostValue { get; set; }

    /// <summary>Where the object was created, when call sites are recorded.</summary>
    public string? CallSite { get; init; }

    /// <summary>Owned only: every count reached zero while the value was pending; it is dropped on arrival.</summary>
    public bool Freed { get; set; }

    /// <summary>Owned only: the value once known, set under the table's lock with <see cref="Value"/>.</summary>
    public ObjectValue? Known { get; set; }

    public bool IsReferenced => Handles > 0 || PendingTasks > 0 || ContainedIn > 0 || HasBorrowers;

    private bool HasBorrowers
    {
        get
        {
            if (Borrowers is null)
            {
                return false;
            }

            foreach (var count in Borrowers.Values)
            {
                if (count > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
