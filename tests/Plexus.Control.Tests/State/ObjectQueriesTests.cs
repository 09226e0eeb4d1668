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

        var reply = queries.List(new Proto.ListObjectsRequest(), HeldObjects.None);

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

        var ofJobB = queries.List(new Proto.ListObjectsRequest { JobId = TaskEvents.Job(TaskEvents.JobB) }, HeldObjects.None);
        var onNodeOne = queries.List(new Proto.ListObjectsRequest { NodeId = TaskEvents.NodeBytes(NodeOne) }, HeldObjects.None);

        Assert.Equal([2000L], ofJobB.Objects.Select(o => o.Size));
        Assert.Equal(2, ofJobB.Total);
        Assert.Equal([2000L, 1000L], onNodeOne.Objects.Select(o => o.Size));
        Assert.Equal(11, onNodeOne.Total);
    }

    [Fact]
    public void MemoryReportGroupsByNodeJobAndCallSite()
    {
        var (queries, _) = Cluster();

        var byNode = queries.Memory(new Proto.GetMemoryReportRequest { GroupBy = Proto.MemoryGrouping.ByNode }, HeldObjects.None);
        var byJob = queries.Memory(new Proto.GetMemoryReportRequest { GroupBy = Proto.MemoryGrouping.ByJob }, HeldObjects.None);
        var byCallSite = queries.Memory(new Proto.GetMemoryReportRequest { GroupBy = Proto.MemoryGrouping.ByCallSite }, HeldObjects.None);

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

        Assert.Equal([3000L], queries.List(new Proto.ListObjectsRequest(), HeldObjects.None).Objects.Select(o => o.Size));
        Assert.Single(queries.Memory(new Proto.GetMemoryReportRequest(), HeldObjects.None).Nodes);
    }

    [Fact]
    public void ObjectsProcessesHoldAreListedBesideTheStoresWithTheirHolderAndCountedInTheTotal()
    {
        var (queries, _) = Cluster();

        var all = queries.List(new Proto.ListObjectsRequest { Limit = 4 }, Held());
        var ofJobB = queries.List(new Proto.ListObjectsRequest { JobId = TaskEvents.Job(TaskEvents.JobB) }, Held());

        Assert.Equal(
            [(3000L, Proto.ObjectKind.Stored), (2500L, Proto.ObjectKind.Inline), (2000L, Proto.ObjectKind.Stored), (1000L, Proto.ObjectKind.Stored)],
            all.Objects.Select(o => (o.Size, o.Kind)));
        var held = all.Objects[1];
        Assert.Equal((TaskEvents.NodeBytes(NodeTwo), 4, 4321, 2, "driver (put)"), (held.NodeId, held.OwnerProcess, held.OwnerPid, held.Handles, held.CallSite));
        Assert.Equal(TaskEvents.Job(TaskEvents.JobA), held.JobId);
        Assert.Equal(12 + 3, all.Total);
        Assert.Equal([(4, 0)], all.Processes.Select(p => (p.Process, p.Largest.Count)));
        Assert.Equal([TaskEvents.NodeBytes(NodeOne)], all.SilentNodeIds);
        Assert.Equal([(2000L, Proto.ObjectKind.Stored), (0L, Proto.ObjectKind.Pending)], ofJobB.Objects.Select(o => (o.Size, o.Kind)));
        Assert.Equal(2 + 1, ofJobB.Total);
    }

    [Fact]
    public void TheMemoryReportCountsTheInlineValuesProcessesHoldByNodeJobAndCallSite()
    {
        var (queries, _) = Cluster();

        var byNode = queries.Memory(new Proto.GetMemoryReportRequest { GroupBy = Proto.MemoryGrouping.ByNode }, Held());
        var byJob = queries.Memory(new Proto.GetMemoryReportRequest { GroupBy = Proto.MemoryGrouping.ByJob }, Held());
        var byCallSite = queries.Memory(new Proto.GetMemoryReportRequest { GroupBy = Proto.MemoryGrouping.ByCallSite }, Held());

        Assert.Equal(
            [("0000000000000001", 10_000L, 11L, 0L), ("0000000000000002", 3000L + 2600, 1L + 2, 2600L)],
            byNode.Groups.Select(g => (g.Key, g.Bytes, g.Objects, g.HeldBytes)));
        Assert.Equal(
            [(TaskEvents.JobA.ToString(), 10_000L + 2600, 10L + 2), (TaskEvents.JobB.ToString(), 3000L, 2L)],
            byJob.Groups.Select(g => (g.Key, g.Bytes, g.Objects)));
        Assert.Equal(
            [(ObjectQueries.NotListed, 7100L, 10L, 100L), ("driver (put)", 4500L, 2L, 2500L), ("Make.Block", 3000L, 1L, 0L), ("Make.Block (put)", 1000L, 1L, 0L)],
            byCallSite.Groups.Select(g => (g.Key, g.Bytes, g.Objects, g.HeldBytes)));
        Assert.Equal([4], byNode.Processes.Select(p => p.Process));
        Assert.Equal([TaskEvents.NodeBytes(NodeOne)], byNode.SilentNodeIds);
    }

    [Fact]
    public void AMalformedSummaryFromANodeIsRefusedNamingTheField()
    {
        var process = Process();
        var wrongNode = new Proto.NodeReferences { Processes = { process } };
        var shortId = new Proto.NodeReferences { Processes = { process.Clone() } };
        shortId.Processes[0].Largest[0].ObjectId = ByteString.CopyFrom(new byte[5]);
        var tooMany = new Proto.NodeReferences { Processes = { process.Clone() } };

        Assert.Contains("node_id", Assert.Throws<ArgumentException>(() => HeldObjects.Check(NodeOne, wrongNode, 10)).Message, StringComparison.Ordinal);
        Assert.Contains("object_id", Assert.Throws<ArgumentException>(() => HeldObjects.Check(NodeTwo, shortId, 10)).Message, StringComparison.Ordinal);
        Assert.Contains("largest", Assert.Throws<ArgumentException>(() => HeldObjects.Check(NodeTwo, tooMany, 1)).Message, StringComparison.Ordinal);
        HeldObjects.Check(NodeTwo, wrongNode, 10);
    }

    // Node two's worker 4 (pid 4321) holds job A's driver put of 2500 bytes and another of 100 (not listed), and job B's
    // pending result; node one did not answer.
    private static HeldObjects Held() => new([Process()], [NodeOne]);

    private static Proto.ProcessReferences Process()
    {
        var process = new Proto.ProcessReferences { NodeId = TaskEvents.NodeBytes(NodeTwo), Process = 4, Pid = 4321, Answered = true };
        process.Kinds.Add(new Proto.HeldKindTotals { Kind = Proto.ObjectKind.Inline, Objects = 2, Bytes = 2600 });
        process.Kinds.Add(new Proto.HeldKindTotals { Kind = Proto.ObjectKind.Pending, Objects = 1 });
        process.Kinds.Add(new Proto.HeldKindTotals { Kind = Proto.ObjectKind.Stored, Objects = 1, Bytes = 3000 });
        process.Jobs.Add(new Proto.HeldJobTotals { JobId = TaskEvents.Job(TaskEvents.JobA), Objects = 2, InlineObjects = 2, InlineBytes = 2600 });
        process.Jobs.Add(new Proto.HeldJobTotals { JobId = TaskEvents.Job(TaskEvents.JobB), Objects = 1 });
        process.Largest.Add(new Proto.ObjectRecord
        {
            ObjectId = Entry(TaskEvents.Task(TaskEvents.JobA, TaskId.RootPath), ObjectId.PutFlag | 2, 0).ObjectId, Kind = Proto.ObjectKind.Inline, Size = 2500, Handles = 2,
        });
        process.Largest.Add(new Proto.ObjectRecord { ObjectId = Entry(TaskEvents.Task(TaskEvents.JobB, 0x99), 1, 0).ObjectId, Kind = Proto.ObjectKind.Pending });
        return process;
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
