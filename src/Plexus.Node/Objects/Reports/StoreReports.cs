using System.Buffers.Binary;
using Google.Protobuf;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Node;

/// <summary>Turns a <see cref="StoreSnapshot"/> into the state API's <c>StoreReport</c>, after the node's lock is released.</summary>
internal static class StoreReports
{
    public static Proto.StoreReport ToMessage(StoreSnapshot store)
    {
        var report = new Proto.StoreReport
        {
            CapacityBytes = store.Capacity,
            UsedBytes = store.Used,
            SpilledBytes = store.SpilledBytes,
            ObjectCount = store.ObjectCount,
        };
        foreach (var (job, totals) in store.Jobs)
        {
            report.Jobs.Add(new Proto.JobStoreUsage { JobId = JobBytes(job), Bytes = totals.Bytes, Objects = totals.Objects, SpilledBytes = totals.SpilledBytes });
        }

        foreach (var o in store.Largest)
        {
            report.Objects.Add(new Proto.StoredObjectEntry
            {
                ObjectId = ObjectBytes(o.Id),
                Size = o.Size,
                Location = Location(o.State),
                PrimaryNodeId = o.CopyOf is { } primary ? TaskEventReports.NodeBytes(primary) : ByteString.Empty,
                OwnerProcess = o.Owner,
                OwnerPid = o.OwnerPid,
                Pins = o.Pins,
            });
        }

        return report;
    }

    /// <summary>An object's id as the service stores it: its task's 24 bytes (<see cref="TaskEventReports.TaskBytes"/>), then its index, big-endian.</summary>
    public static ByteString ObjectBytes(ObjectId id)
    {
        Span<byte> bytes = stackalloc byte[28];
        TaskEventReports.TaskBytes(id.Task).Span.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[24..], id.Index);
        return ByteString.CopyFrom(bytes);
    }

    public static ByteString JobBytes(JobId job)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, job.High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], job.Low);
        return ByteString.CopyFrom(bytes);
    }

    private static Proto.ObjectLocation Location(StoredObjectState state) => state switch
    {
        StoredObjectState.Writing => Proto.ObjectLocation.Writing,
        StoredObjectState.InMemory => Proto.ObjectLocation.InMemory,
        StoredObjectState.Spilling => Proto.ObjectLocation.Spilling,
        StoredObjectState.Spilled => Proto.ObjectLocation.Spilled,
        StoredObjectState.Restoring => Proto.ObjectLocation.Restoring,
        _ => Proto.ObjectLocation.Unspecified,
    };
}
