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

    /// <summary>
    /// The listed objects matching the filters, largest first, at most <c>limit</c>; with how many
    /// the matching stores hold in all. With <paramref name="held"/>, the processes' listed entries
    /// too, their counts in the total, and each process's summary and the nodes that did not answer.
    /// </summary>
    /// <exception cref="ArgumentException">A filter or the limit is malformed (the message names it).</exception>
    public Proto.ListObjectsReply List(Proto.ListObjectsRequest request, HeldObjects held)
    {
        var (job, node, limit) = Filters(request);
        var reply = new Proto.ListObjectsReply();
        var matching = new List<Proto.ObjectRecord>();
        foreach (var store in objects.Snapshot().Where(s => node is null || s.Node == node))
        {
            reply.Total += job is { } j
                ? store.Store.Jobs.Where(u => JobKeys.Parse(u.JobId, "job_id") == j).Sum(u => u.Objects)
                : store.Store.ObjectCount;
            matching.AddRange(store.Store.Objects.Where(o => job is null || JobOf(o.ObjectId) == job).Select(o => new Proto.ObjectRecord
            {
                ObjectId = o.ObjectId,
                JobId = ByteString.CopyFrom(o.ObjectId.Span[..16]),
                NodeId = NodeKeys.ToBytes(store.Node),
                Size = o.Size,
                Location = o.Location,
                PrimaryNodeId = o.PrimaryNodeId,
                OwnerProcess = o.OwnerProcess,
                OwnerPid = o.OwnerPid,
                Pins = o.Pins,
                Kind = Proto.ObjectKind.Stored,
            }));
        }

        foreach (var process in held.Processes.Where(p => node is null || NodeKeys.Parse(p.NodeId, "node_id") == node))
        {
            reply.Total += job is { } j
                ? process.Jobs.Where(u => JobKeys.Parse(u.JobId, "job_id") == j).Sum(u => u.Objects)
                : process.Kinds.Where(k => k.Kind != Proto.ObjectKind.Stored).Sum(k => k.Objects);
            matching.AddRange(process.Largest.Where(o => job is null || JobOf(o.ObjectId) == job).Select(o =>
            {
                var record = o.Clone();
                record.JobId = ByteString.CopyFrom(o.ObjectId.Span[..16]);
                record.NodeId = process.NodeId;
                record.OwnerProcess = process.Process;
                record.OwnerPid = process.Pid;
                return record;
            }));
            reply.Processes.Add(WithoutEntries(process));
        }

        reply.SilentNodeIds.AddRange(held.SilentNodes.Select(NodeKeys.ToBytes));
        foreach (var record in matching.OrderByDescending(m => m.Size).Take(limit))
        {
            record.CallSite = CallSite(record.ObjectId);
            reply.Objects.Add(record);
        }

        return reply;
    }

    /// <summary>
    /// The stores' use grouped as asked (by node when unset), largest first, and each node's
    /// capacity and use. By node and by job the figures are exact; by call site only the objects
    /// the nodes listed have one, and the rest of each node's are under <see cref="NotListed"/>.
    /// With <paramref name="held"/>, the inline values processes hold count in the groups too (the
    /// same way: exact by node and job, by call site those the processes listed), and each
    /// process's summary and the nodes that did not answer are in the reply.
    /// </summary>
    public Proto.GetMemoryReportReply Memory(Proto.GetMemoryReportRequest request, HeldObjects held)
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

        foreach (var process in held.Processes)
        {
            AddHeld(groups, request.GroupBy, process);
            reply.Processes.Add(WithoutEntries(process));
        }

        reply.SilentNodeIds.AddRange(held.SilentNodes.Select(NodeKeys.ToBytes));
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

    // A process's owned inline values, grouped as the stores' are.
    private void AddHeld(Dictionary<string, Proto.MemoryGroup> groups, Proto.MemoryGrouping groupBy, Proto.ProcessReferences process)
    {
        var inline = process.Kinds.Where(k => k.Kind == Proto.ObjectKind.Inline).Select(k => (k.Objects, k.Bytes)).FirstOrDefault();
        switch (groupBy)
        {
            case Proto.MemoryGrouping.ByJob:
                foreach (var job in process.Jobs.Where(j => j.InlineObjects > 0))
                {
                    AddHeld(groups, JobKeys.Parse(job.JobId, "job_id").ToString(), job.InlineBytes, job.InlineObjects);
                }

                break;
            case Proto.MemoryGrouping.ByCallSite:
                var listed = process.Largest.Where(o => o.Kind == Proto.ObjectKind.Inline).ToList();
                foreach (var o in listed)
                {
                    AddHeld(groups, CallSite(o.ObjectId), o.Size, 1);
                }

                if (inline.Objects > listed.Count)
                {
                    AddHeld(groups, NotListed, inline.Bytes - listed.Sum(o => o.Size), inline.Objects - listed.Count);
                }

                break;
            default:
                if (inline.Objects > 0)
                {
                    AddHeld(groups, $"{NodeKeys.Parse(process.NodeId, "node_id"):x16}", inline.Bytes, inline.Objects);
                }

                break;
        }
    }

    private static void AddHeld(Dictionary<string, Proto.MemoryGroup> groups, string key, long bytes, long count)
    {
        var group = Add(groups, key, bytes, count, spilled: 0);
        group.HeldBytes += bytes;
        group.HeldObjects += count;
    }

    // The reply carries each process's counts; its entries are in the listing, not twice.
    private static Proto.ProcessReferences WithoutEntries(Proto.ProcessReferences process)
    {
        var summary = process.Clone();
        summary.Largest.Clear();
        return summary;
    }

    /// <summary>The listing's filters and limit, checked.</summary>
    /// <exception cref="ArgumentException">A filter or the limit is malformed (the message names it).</exception>
    public static (JobId? Job, ulong? Node, int Limit) Filters(Proto.ListObjectsRequest request)
    {
        var job = request.JobId.IsEmpty ? (JobId?)null : JobKeys.Parse(request.JobId, "job_id");
        var node = request.NodeId.IsEmpty ? (ulong?)null : NodeKeys.Parse(request.NodeId, "node_id");
        var limit = request.Limit == 0 ? TaskTable.DefaultLimit : request.Limit;
        if (limit is < 1 or > TaskTable.MaxLimit)
        {
            throw new ArgumentException($"limit must be between 1 and {TaskTable.MaxLimit}; it is {request.Limit}.");
        }

        return (job, node, limit);
    }

    private static bool IsOnDiskOnly(Proto.ObjectLocation location) => location is Proto.ObjectLocation.Spilled or Proto.ObjectLocation.Restoring;

    private static Proto.MemoryGroup Add(Dictionary<string, Proto.MemoryGroup> groups, string key, long bytes, long count, long spilled)
    {
        if (!groups.TryGetValue(key, out var group))
        {
            group = new Proto.MemoryGroup { Key = key };
            groups.Add(key, group);
        }

        group.Bytes += bytes;
        group.Objects += count;
        group.SpilledBytes += spilled;
        return group;
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
