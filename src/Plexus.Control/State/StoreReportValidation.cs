using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>Checks a node's store report before anything of it is kept, so queries never meet a malformed id.</summary>
internal static class StoreReportValidation
{
    /// <exception cref="ArgumentException">An id or a figure is malformed; the message names the field.</exception>
    public static void Check(Proto.StoreReport store)
    {
        if (store.CapacityBytes < 0 || store.UsedBytes < 0 || store.SpilledBytes < 0 || store.ObjectCount < 0)
        {
            throw new ArgumentException("store: capacity_bytes, used_bytes, spilled_bytes and object_count must be 0 or more.");
        }

        foreach (var job in store.Jobs)
        {
            JobKeys.Parse(job.JobId, "store.jobs.job_id");
        }

        foreach (var o in store.Objects)
        {
            if (o.ObjectId.Length != 28)
            {
                throw new ArgumentException($"store.objects.object_id must be 28 bytes (its task's 24, then its index's 4); it has {o.ObjectId.Length}.");
            }

            if (!o.PrimaryNodeId.IsEmpty)
            {
                NodeKeys.Parse(o.PrimaryNodeId, "store.objects.primary_node_id");
            }
        }
    }
}
