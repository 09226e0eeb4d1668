using System.Buffers.Binary;
using Google.Protobuf;
using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests.State;

public sealed class ObjectQueriesTests
{
    private const ulong NodeOne = 1;
    private const ulong NodeTwo = 2;

    private static readonly TaskKey Producer = TaskEvents.Task(TaskEvents.JobA, 0x77);

    [Fact]
    public void ObjectsAreListedLargestFirstWithTheTaskThatMadeThemAsCallSite()
    {
        var (queries, _) = Cluster();

        var reply = queries.List(new Proto.ListObjectsRequest());

        Assert.Equal([3000L, 2000L, 1000L], reply.Objects.Select(o => o.Size));
        Assert.Equal(["Make.Block", "driver (put)", "Make.Block (put)"], reply.Objects.Select(o => o.CallSite));
        Assert.Equal(12, reply.Total);
        Assert.Equal(TaskEvents.NodeBytes(NodeTwo), reply.Objects[0].NodeId);
        Assert.Equal(TaskEvents.Job(TaskEvents.JobA), reply.Objects[0].JobId);
    }

    [Fact]
    public void ListingFiltersByJobAndNodeAndCountsWhatTheStoresHoldUnlisted()
    {
        var (queries, _) = Cluster();

        var ofJobB = queries.List(new Proto.ListObjectsRequest { JobId = TaskEvents.Job(TaskEvents.JobB) });
        var onNodeOne = queries.List(new Proto.ListObjectsRequest { NodeId = TaskEvents.NodeBytes(NodeOne) });

        Assert.Equal([2000L], ofJobB.Objects.Select(o => o.Size));
        Assert.Equal(2, ofJobB.Total);
        Assert.Equal([2000L, 1000L], onNodeOne.Objects.Select(o => o.Size));
        Assert.Equal(11, onNodeOne.Total);
    }

    [Fact]
    public void MemoryReportGroupsByNodeJobAndCallSite()
    {
        var (queries, _) = Cluster();

        var byNode = queries.Memory(new Proto.GetMemoryReportRequest { GroupBy = Proto.MemoryGrouping.ByNode });
        var byJob = queries.Memory(new Proto.GetMemoryReportRequest { GroupBy = Proto.MemoryGrouping.ByJob });
        var byCallSite = queries.Memory(new Proto.GetMemoryReportRequest { GroupBy = Proto.MemoryGrouping.ByCallSite });

        Assert.Equal([("0000000000000001", 10_000L, 11L), ("0000000000000002", 3000L, 1L)], byNode.Groups.Select(g => (g.Key, g.Bytes, g.Objects)));
        Assert.Equal([(TaskEvents.JobA.ToString(), 10_000L, 10L), (TaskEvents.JobB.ToString(), 3000L, 2L)], byJob.Groups.Select(g => (g.Key, g.Bytes, g.Objects)));
        Assert.Equal(
            [(ObjectQueries.NotListed, 7000L, 9L), ("Make.Block", 3000L, 1L), ("driver (put)", 2000L, 1L), ("Make.Block (put)", 1000L, 1L)],
            byCallSite.Groups.Select(g => (g.Key, g.Bytes, g.Objects)));
        Assert.Equal([100_000L, 50_000L], byNode.Nodes.Select(n => n.CapacityBytes));
        Assert.Equal(500, byNode.Nodes[0].SpilledBytes);
    }

    [Fact]
    public void ANodeThatLeftTakesItsStoreOutOfTheReport()
    {
        var (queries, table) = Cluster();

        table.NodeGone(NodeOne);

        Assert.Equal([3000L], queries.List(new Proto.ListObjectsRequest()).Objects.Select(o => o.Size));
        Assert.Single(queries.Memory(new Proto.GetMemoryReportRequest()).Nodes);
    }

    // Node one: 11 objects, 10 000 bytes (job A's 9, job B's 2), listing two: job B's driver put (2000) and job A's put in
    // "Make.Block" (1000). Node two: one object, the 3000-byte return of job A's task "Make.Block".
    private static (ObjectQueries Queries, ObjectTable Table) Cluster()
    {
        var tasks = new TaskTable(100);
        tasks.Report(NodeOne, [.. TaskEvents.Life(Producer, 1_000, "Make.Block")], 0);
        var table = new ObjectTable(TimeProvider.System);
        var one = new Proto.StoreReport { CapacityBytes = 100_000, UsedBytes = 9500, SpilledBytes = 500, ObjectCount = 11 };
        one.Jobs.Add(new Proto.JobStoreUsage { JobId = TaskEvents.Job(TaskEvents.JobA), Bytes = 7000, Objects = 9 });
        one.Jobs.Add(new Proto.JobStoreUsage { JobId = TaskEvents.Job(TaskEvents.JobB), Bytes = 3000, Objects = 2 });
        one.Objects.Add(Entry(TaskEvents.Task(TaskEvents.JobB, TaskId.RootPath), ObjectId.PutFlag | 1, 2000));
        one.Objects.Add(Entry(Producer, ObjectId.PutFlag | 1, 1000));
        var two = new Proto.StoreReport { CapacityBytes = 50_000, UsedBytes = 3000, ObjectCount = 1 };
        two.Jobs.Add(new Proto.JobStoreUsage { JobId = TaskEvents.Job(TaskEvents.JobA), Bytes = 3000, Objects = 1 });
        two.Objects.Add(Entry(Producer, 1, 3000));
        table.Report(NodeOne, one);
        table.Report(NodeTwo, two);
        return (new ObjectQueries(table, tasks), table);
    }

    private static Proto.StoredObjectEntry Entry(TaskKey task, uint index, long size)
    {
        var id = new byte[28];
        task.ToBytes().Span.CopyTo(id);
        BinaryPrimitives.WriteUInt32BigEndian(id.AsSpan(24), index);
        return new Proto.StoredObjectEntry { ObjectId = ByteString.CopyFrom(id), Size = size, Location = Proto.ObjectLocation.InMemory };
    }
}
