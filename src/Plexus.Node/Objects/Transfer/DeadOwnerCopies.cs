namespace Plexus.Node;

/// <summary>
/// The copies in this node's store whose owner ran on a node that is lost. Its processes count as
/// dead (a lost link means they died), so those objects can never be read or adopted again; when
/// the primary was on the lost node too, no <see cref="Protocol.Messages.DropCopies"/> will ever
/// come for them, and without this they would stay until store pressure evicted them.
/// </summary>
internal static class DeadOwnerCopies
{
    /// <summary>Frees every secondary copy here owned by a process of <paramref name="lostNode"/>; copies of live owners stay.</summary>
    public static void Drop(LocalObjectStore store, NodeObjectStore objects, ulong lostNode, Outbox outbox)
    {
        foreach (var id in store.Objects.Where(o => o.Copy?.Owner.Node == lostNode).Select(o => o.Id).ToList())
        {
            objects.Free(id, outbox);
        }
    }
}
