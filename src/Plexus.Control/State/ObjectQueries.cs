using System.Buffers.Binary;
using Google.Protobuf;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// The object listing and the memory report over the nodes' latest store reports
/// (<see cref="ObjectTable"/>), with each object's call site named from the task table: what
/// <c>plexus list objects</c>, <c>plexus memory</c> and the head's dashboard show. Reads memory only.
/// </summary>
internal sealed class ObjectQueries(ObjectTable objects, TaskTable tasks)
{
    /// <summary>What a node's objects beyond the ones it listed are grouped under by call site.</summary>
    public const string NotListed = "(not listed)";

    /// <summary>The listed objects matching the filters, largest first, at most <c>limit</c>; with how many the matching stores hold in all.</summary>
    /// <exception cref="ArgumentException">A filter or the limit is malformed (the message names it).</exception>
    public Proto.ListObjectsReply List(Proto.ListObjectsRequest request)
    {
        var job = request.JobId.IsEmpty ? (JobId?)null : JobKeys.Parse(request.JobId, "job_id");
        var node = request.NodeId.IsEmpty ? (ulong?)null : NodeKeys.Parse(request.NodeId, "node_id");
        var limit = request.Limit == 0 ? TaskTable.DefaultLimit : request.Limit;
        if (limit is < 1 or > TaskTable.MaxLimit)
        {
            throw new ArgumentException($"limit must be between 1 and {TaskTable.MaxLimit}; it is {request.Limit}.");
        }

        var reply = new Proto.ListObjectsReply();
        var matching = new List<(ulong Node, Proto.StoredObjectEntry Entry)>();
        foreach (var store in objects.Snapshot().Where(s => node is null || s.Node == node))
        {
            reply.Total += job is { } j
                ? store.Store.Jobs.Where(u => JobKeys.Parse(u.JobId, "job_id") == j).Sum(u => u.Objects)
                : store.Store.ObjectCount;
            matching.AddRange(store.Store.Objects.Where(o => job is null || JobOf(o.ObjectId) == job).Select(o => (store.Node, o)));
        }

        foreach (var (holder, entry) in matching.OrderByDescending(m => m.Entry.Size).Take(limit))
        {
            reply.Objects.Add(new Proto.ObjectRecord
            {
                ObjectId = entry.ObjectId,
                JobId = ByteString.CopyFrom(entry.ObjectId.Span[..16]),
                NodeId = NodeKeys.ToBytes(holder),
                Size = entry.Size,
                Location = entry.Location,
                PrimaryNodeId = entry.PrimaryNodeId,
                OwnerProcess = entry.OwnerProcess,
                OwnerPid = entry.OwnerPid,
                Pins = entry.Pins,
                CallSite = CallSite(entry.ObjectId),
            });
        }

        return reply;
    }

    /// <summary>
    /// The stores' use grouped as asked (by node when unset), largest first, and each node's
    /// capacity and use. By node and by job the figures are exact; by call site only the objects
    /// the nodes listed have one, and the rest of each node's are under <see cref="NotListed"/>.
    /// </summary>
    public Proto.GetMemoryReportReply Memory(Proto.GetMemoryReportRequest request)
    {
        var stores = objects.Snapshot();
        var groups = new Dictionary<string, Proto.MemoryGroup>(StringComparer.Ordinal);
        var reply = new Proto.GetMemoryReportReply();
        foreach (var store in stores)
        {
            var s = store.Store;
            reply.Nodes.Add(new Proto.NodeStoreUsage
            {
                NodeId = NodeKeys.ToBytes(store.Node),
                CapacityBytes = s.CapacityBytes,
                UsedBytes = s.UsedBytes,
                SpilledBytes = s.SpilledBytes,
                ObjectCount = s.ObjectCount,
                ReportedUnixMicros = store.ReportedMicros,
            });
            switch (request.GroupBy)
            {
                case Proto.MemoryGrouping.ByJob:
                    foreach (var job in s.Jobs)
                    {
                        Add(groups, JobKeys.Parse(job.JobId, "job_id").ToString(), job.Bytes, job.Objects, job.SpilledBytes);
                    }

                    break;
                case Proto.MemoryGrouping.ByCallSite:
                    foreach (var o in s.Objects)
                    {
                        Add(groups, CallSite(o.ObjectId), o.Size, 1, IsOnDiskOnly(o.Location) ? o.Size : 0);
                    }

                    var unlistedObjects = s.ObjectCount - s.Objects.Count;
                    if (unlistedObjects > 0)
                    {
                        var listedBytes = s.Objects.Sum(o => o.Size);
                        var listedSpilled = s.Objects.Where(o => IsOnDiskOnly(o.Location)).Sum(o => o.Size);
                        Add(groups, NotListed, s.Jobs.Sum(j => j.Bytes) - listedBytes, unlistedObjects, s.SpilledBytes - listedSpilled);
                    }

                    break;
                default:
                    Add(groups, $"{store.Node:x16}", s.Jobs.Sum(j => j.Bytes), s.ObjectCount, s.SpilledBytes);
                    break;
            }
        }

        reply.Groups.AddRange(groups.Values.OrderByDescending(g => g.Bytes).ThenBy(g => g.Key, StringComparer.Ordinal));
        return reply;
    }

    /// <summary>What made an object: the task that returned it, or "<c>task (put)</c>" for one a task put; a put of the driver's is "<c>driver (put)</c>".</summary>
    public string CallSite(ByteString objectId)
    {
        var (task, index) = ParseObject(objectId);
        var isPut = (index & ObjectId.PutFlag) != 0;
        var name = task.Path == TaskId.RootPath ? "driver" : tasks.NameOf(task) ?? $"task {task}";
        return isPut ? $"{name} (put)" : name;
    }

    private static bool IsOnDiskOnly(Proto.ObjectLocation location) => location is Proto.ObjectLocation.Spilled or Proto.ObjectLocation.Restoring;

    private static void Add(Dictionary<string, Proto.MemoryGroup> groups, string key, long bytes, long count, long spilled)
    {
        if (!groups.TryGetValue(key, out var group))
        {
            group = new Proto.MemoryGroup { Key = key };
            groups.Add(key, group);
        }

        group.Bytes += bytes;
        group.Objects += count;
        group.SpilledBytes += spilled;
    }

    private static JobId JobOf(ByteString objectId) => ParseObject(objectId).Task.Job;

    private static (TaskKey Task, uint Index) ParseObject(ByteString objectId)
    {
        if (objectId.Length != 28)
        {
            throw new ArgumentException($"object_id must be 28 bytes (its task's 24, then its index's 4); it has {objectId.Length}.");
        }

        return (TaskKey.Parse(ByteString.CopyFrom(objectId.Span[..24]), "object_id"), BinaryPrimitives.ReadUInt32BigEndian(objectId.Span[24..]));
    }
}
