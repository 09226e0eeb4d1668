using Plexus.Core.References;
using Plexus.Protocol.Messages;

namespace Plexus.Tests;

/// <summary>The bounded summary of a reference table that the state API asks of each process (<see cref="ReferenceSummaries"/>).</summary>
public sealed class ReferenceSummaryTests
{
    private static readonly JobId Job = new(1, 2);
    private static readonly JobId OtherJob = new(3, 4);
    private static readonly ProcessAddress Self = new(7, 0);
    private static readonly ProcessAddress Owner = new(7, 3);

    [Fact]
    public void EveryKindIsCountedExactlyAndTheLargestNotStoredAreListedLargestFirst()
    {
        var table = new ReferenceTable(Self);
        for (uint i = 1; i <= 10; i++)
        {
            Resolve(table, Put(Job, i), ValueLocation.Inline, size: 100 * i);
        }

        Resolve(table, Put(OtherJob, 1), ValueLocation.Inline, size: 50);
        Resolve(table, Put(Job, 11), ValueLocation.Stored, size: 500_000);
        Resolve(table, Put(Job, 12), ValueLocation.Stored, size: 300_000);
        table.AddOwned(Put(Job, 13), handles: 1, pendingTasks: 2, callSite: null);
        Resolve(table, Put(Job, 14), ValueLocation.Failed, size: 0);
        Assert.True(table.AddHandle(ObjectId.ForPut(TaskId.Root(OtherJob), 99), Owner));

        var summary = table.Summarize(largest: 3);

        Assert.Equal(
            [new HeldTotals(HeldKind.Inline, 11, 5550), new HeldTotals(HeldKind.Stored, 2, 800_000), new HeldTotals(HeldKind.Pending, 1, 0),
             new HeldTotals(HeldKind.Borrowed, 1, 0), new HeldTotals(HeldKind.Failed, 1, 0)],
            summary.Kinds);
        Assert.Equal([1000L, 900, 800], summary.Largest.Select(e => e.Size));
        Assert.All(summary.Largest, e => Assert.Equal((HeldKind.Inline, 1), (e.Kind, e.Handles)));
        Assert.Equal(
            [new HeldJobTotals(Job, Objects: 12, InlineObjects: 10, InlineBytes: 5500), new HeldJobTotals(OtherJob, Objects: 2, InlineObjects: 1, InlineBytes: 50)],
            summary.Jobs.OrderBy(j => j.Job.Low));
        summary.Validate();
    }

    [Fact]
    public void AnEntrysRefsAreListedWithIt()
    {
        var table = new ReferenceTable(Self);
        Resolve(table, Put(Job, 1), ValueLocation.Inline, size: 10);
        table.AddBorrower(Put(Job, 1), Owner);
        table.AddPendingTask([new NestedRef(Put(Job, 1), Self)]);
        Assert.True(table.AddHandle(Put(Job, 1), Self));

        var entry = Assert.Single(table.Summarize(largest: 10).Largest);

        Assert.Equal((Put(Job, 1), 2, 1, 1), (entry.Id, entry.Handles, entry.PendingTasks, entry.Borrowers));
    }

    [Fact]
    public void AListingIsBoundedWhateverTheTableHolds()
    {
        var table = new ReferenceTable(Self);
        for (uint i = 1; i <= 5000; i++)
        {
            Resolve(table, Put(Job, i), ValueLocation.Inline, size: i % 700);
        }

        var five = table.Summarize(largest: 5);
        var none = table.Summarize(largest: 0);

        Assert.Equal([699L, 699, 699, 699, 699], five.Largest.Select(e => e.Size));
        Assert.Empty(none.Largest);
        Assert.Equal(new HeldTotals(HeldKind.Inline, 5000, Enumerable.Range(1, 5000).Sum(i => (long)(i % 700))), Assert.Single(none.Kinds));
    }

    [Fact]
    public void AMalformedSummaryIsAProtocolViolation()
    {
        var negative = new ReferenceSummary { Kinds = [new HeldTotals(HeldKind.Inline, -1, 0)], Jobs = [], Largest = [] };
        var unknownKind = new ReferenceSummary { Kinds = [new HeldTotals((HeldKind)42, 1, 0)], Jobs = [], Largest = [] };
        var missing = new ReferenceSummary { Kinds = [], Jobs = null!, Largest = [] };

        Assert.Throws<ProtocolViolationException>(negative.Validate);
        Assert.Throws<ProtocolViolationException>(unknownKind.Validate);
        Assert.Throws<ProtocolViolationException>(missing.Validate);
        Assert.Throws<ProtocolViolationException>(new SummarizeReferences { Largest = SummarizeReferences.MaxLargest + 1 }.Validate);
    }

    private static ObjectId Put(JobId job, uint index) => ObjectId.ForPut(TaskId.Root(job), index);

    private static void Resolve(ReferenceTable table, ObjectId id, ValueLocation location, long size)
    {
        table.AddOwned(id, handles: 1, pendingTasks: 0, callSite: null);
        var value = location switch
        {
            ValueLocation.Inline => ObjectValue.InlineValue(id, ValueFormat.MessagePack, new byte[size]),
            ValueLocation.Stored => ObjectValue.StoredValue(id, ValueFormat.MessagePack, offset: 64, size, node: 7),
            _ => ObjectValue.FailedValue(id, new ErrorInfo(ErrorKind.TaskFailed, "failed", "", TaskName: null)),
        };
        table.ResolveOwned(value, granted: false, new RefEffects());
    }
}
