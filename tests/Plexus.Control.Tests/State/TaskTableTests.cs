using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;
using static Plexus.Control.Tests.State.TaskEvents;

namespace Plexus.Control.Tests.State;

public sealed class TaskTableTests
{
    private const ulong NodeOne = 0x1111;
    private const ulong NodeTwo = 0x2222;

    [Fact]
    public void FiltersCombineStateJobNodeAndName()
    {
        var table = new TaskTable(finishedKept: 1000);
        // Job A: two finished "f" on node one, one running "g" on node two; job B: one running "f" on node one.
        table.Report(NodeOne, [.. Life(Task(JobA, 1), 100, "f"), .. Life(Task(JobA, 2), 200, "f")], 0);
        table.Report(NodeTwo, [Event(Task(JobA, 3), Proto.TaskEventKind.EventStarted, 300, "g")], 0);
        table.Report(NodeOne, [Event(Task(JobB, 4), Proto.TaskEventKind.EventStarted, 400, "f")], 0);

        var running = table.List(new Proto.ListTasksRequest { Status = Proto.TaskStatus.Running });
        Assert.Equal([3UL, 4UL], Paths(running));
        Assert.Equal(2, running.Total);

        var runningOfA = table.List(new Proto.ListTasksRequest { Status = Proto.TaskStatus.Running, JobId = Job(JobA) });
        Assert.Equal([3UL], Paths(runningOfA));
        Assert.Equal(1, runningOfA.Total);

        var fOnOne = table.List(new Proto.ListTasksRequest { Name = "f", NodeId = NodeBytes(NodeOne) });
        Assert.Equal([1UL, 2UL, 4UL], Paths(fOnOne));
        Assert.Equal(3, fOnOne.Total);
        Assert.Equal(2, table.List(new Proto.ListTasksRequest { Name = "f", JobId = Job(JobA) }).Total);
        Assert.Equal(4, table.List(new Proto.ListTasksRequest()).Total);

        var none = table.List(new Proto.ListTasksRequest { Name = "never", JobId = Job(JobA) });
        Assert.Empty(none.Tasks);
        Assert.Equal(0, none.Total);
    }

    [Fact]
    public void PagesFollowTheirCursorWhileTasksAreAdded()
    {
        var table = new TaskTable(finishedKept: 1000);
        table.Report(NodeOne, [.. Enumerable.Range(1, 10).Select(i => Event(Task(JobA, (ulong)i), Proto.TaskEventKind.EventQueued, i * 100, "f"))], 0);

        var first = table.List(new Proto.ListTasksRequest { Limit = 4 });
        Assert.Equal([1UL, 2UL, 3UL, 4UL], Paths(first));
        Assert.NotEmpty(first.NextPageToken);

        // Added after the first page was read, later than every task listed: the pages before do not shift.
        table.Report(NodeOne, [.. Enumerable.Range(11, 3).Select(i => Event(Task(JobA, (ulong)i), Proto.TaskEventKind.EventQueued, i * 100, "f"))], 0);
        var seen = new List<ulong>(Paths(first));
        var token = first.NextPageToken;
        while (token.Length > 0)
        {
            var page = table.List(new Proto.ListTasksRequest { Limit = 4, PageToken = token });
            seen.AddRange(Paths(page));
            Assert.Equal(13, page.Total);
            token = page.NextPageToken;
        }

        Assert.Equal([.. Enumerable.Range(1, 13).Select(i => (ulong)i)], seen);
    }

    [Fact]
    public void FinishedTasksBeyondTheBoundAreForgottenOldestFirstAndUnendedOnesNever()
    {
        var table = new TaskTable(finishedKept: 3);
        table.Report(NodeOne, [Event(Task(JobA, 100), Proto.TaskEventKind.EventStarted, 1, "long")], 0);
        table.Report(NodeOne, [.. Enumerable.Range(1, 5).SelectMany(i => Life(Task(JobA, (ulong)i), i * 100, "f"))], 0);

        var all = table.List(new Proto.ListTasksRequest());
        Assert.Equal([100UL, 3UL, 4UL, 5UL], Paths(all));
        Assert.Equal(2, all.Evicted);
        Assert.Equal(3, table.List(new Proto.ListTasksRequest { Status = Proto.TaskStatus.Finished }).Total);
        Assert.Equal(3, table.Summarize(JobA).Functions.Single(f => f.Name == "f").Counts["FINISHED"]);
    }

    [Fact]
    public void SummaryCountsTasksByFunctionAndStateOfOneJobOrAll()
    {
        var table = new TaskTable(finishedKept: 1000);
        table.Report(NodeOne, [.. Life(Task(JobA, 1), 100, "f"), .. Life(Task(JobA, 2), 200, "f")], 0);
        table.Report(NodeOne, [Event(Task(JobA, 3), Proto.TaskEventKind.EventInfeasible, 300, "big"), Failed(Task(JobA, 4), 400, "System.InvalidOperationException", "boom")], 0);
        table.Report(NodeOne, [Event(Task(JobA, 4), Proto.TaskEventKind.EventSubmitted, 350, "bad")], 0);
        table.Report(NodeTwo, [Event(Task(JobB, 5), Proto.TaskEventKind.EventStarted, 500, "f")], 0);

        var ofA = table.Summarize(JobA).Functions.ToDictionary(f => f.Name, f => f.Counts.ToDictionary(c => c.Key, c => c.Value));
        Assert.Equal(new Dictionary<string, long> { ["FINISHED"] = 2 }, ofA["f"]);
        Assert.Equal(new Dictionary<string, long> { ["INFEASIBLE"] = 1 }, ofA["big"]);
        Assert.Equal(new Dictionary<string, long> { ["FAILED"] = 1 }, ofA["bad"]);
        var all = table.Summarize(job: null).Functions.Single(f => f.Name == "f");
        Assert.Equal(2, all.Counts["FINISHED"]);
        Assert.Equal(1, all.Counts["RUNNING"]);
    }

    [Fact]
    public void AFailedTaskSaysWhyAndAPendingOneWhatItWaitsFor()
    {
        var table = new TaskTable(finishedKept: 1000);
        var pending = Event(Task(JobA, 1), Proto.TaskEventKind.EventWaitingForResources, 100, "gpu");
        pending.Reason = "waits for resources running work holds: asks for 1 CPU, GPU: 1";
        table.Report(NodeOne, [pending, Failed(Task(JobA, 2), 200, "System.InvalidOperationException", "boom")], 0);

        var tasks = table.List(new Proto.ListTasksRequest()).Tasks;
        Assert.Equal(Proto.TaskStatus.PendingResources, tasks[0].Status);
        Assert.Contains("GPU: 1", tasks[0].Reason, StringComparison.Ordinal);
        Assert.Equal(Proto.TaskStatus.Failed, tasks[1].Status);
        Assert.Equal("System.InvalidOperationException", tasks[1].ErrorType);
        Assert.Equal("boom", tasks[1].Reason);
    }

    [Fact]
    public void AnEventWithFoldedStepsLeavesEveryTaskAsItsStepsOneByOneDo()
    {
        // A task run to its end, one still running and a forwarded one received here, as nodes report them folded and not.
        var ended = Task(JobA, 1);
        var running = Task(JobA, 2);
        var received = Task(JobB, 3);
        var folded = new TaskTable(finishedKept: 1000);
        var finished = Event(ended, Proto.TaskEventKind.EventFinished, 140);
        (finished.Name, finished.WorkerPid) = ("f", 4242);
        (finished.SubmittedUnixMicros, finished.QueuedUnixMicros, finished.DispatchedUnixMicros, finished.StartedUnixMicros) = (100, 110, 120, 130);
        var started = Event(running, Proto.TaskEventKind.EventStarted, 230, "g");
        (started.WorkerPid, started.QueuedUnixMicros, started.DispatchedUnixMicros) = (4243, 210, 220);
        var queued = Event(received, Proto.TaskEventKind.EventQueued, 310, "h");
        (queued.Reason, queued.ReceivedUnixMicros) = ("waits for a free worker on its node", 300);
        folded.Report(NodeTwo, [finished, started, queued], 0);

        var queuedAlone = Event(received, Proto.TaskEventKind.EventQueued, 310);
        queuedAlone.Reason = queued.Reason;
        var stepByStep = new TaskTable(finishedKept: 1000);
        stepByStep.Report(NodeTwo, [
            Event(ended, Proto.TaskEventKind.EventSubmitted, 100, "f"), Event(ended, Proto.TaskEventKind.EventQueued, 110),
            WithPid(Event(ended, Proto.TaskEventKind.EventDispatched, 120), 4242), WithPid(Event(ended, Proto.TaskEventKind.EventStarted, 130), 4242),
            WithPid(Event(ended, Proto.TaskEventKind.EventFinished, 140), 4242),
            Event(running, Proto.TaskEventKind.EventQueued, 210, "g"), WithPid(Event(running, Proto.TaskEventKind.EventDispatched, 220), 4243),
            WithPid(Event(running, Proto.TaskEventKind.EventStarted, 230), 4243),
            Event(received, Proto.TaskEventKind.EventReceived, 300, "h"), queuedAlone,
        ], 0);

        var all = new Proto.ListTasksRequest();
        Assert.Equal(stepByStep.List(all).Tasks, folded.List(all).Tasks);
        Assert.Equal(stepByStep.Summarize(job: null), folded.Summarize(job: null));
        Assert.Equal(stepByStep.Timeline(JobA), folded.Timeline(JobA));
        // What the folded times say, beyond agreeing: every step's time of the ended task, and why the received one waits.
        var listed = folded.List(all).Tasks;
        Assert.Equal((100, 130, 140), (listed[0].SubmittedUnixMicros, listed[0].StartedUnixMicros, listed[0].EndedUnixMicros));
        Assert.Equal([Proto.TaskStatus.Finished, Proto.TaskStatus.Running, Proto.TaskStatus.PendingWorker], listed.Select(t => t.Status));
        Assert.Equal("waits for a free worker on its node", listed[2].Reason);
    }

    private static Proto.TaskEvent WithPid(Proto.TaskEvent e, int pid)
    {
        e.WorkerPid = pid;
        return e;
    }

    [Fact]
    public void StepsReportedOutOfOrderKeepTheLatestStateOfTheLatestAttempt()
    {
        var table = new TaskTable(finishedKept: 1000);
        var task = Task(JobA, 1);
        // The running node reports before the submitting one; then a retry (attempt 1) runs, and a late step of attempt 0 arrives.
        table.Report(NodeTwo, [Event(task, Proto.TaskEventKind.EventStarted, 300, "f"), Event(task, Proto.TaskEventKind.EventFinished, 400)], 0);
        table.Report(NodeOne, [Event(task, Proto.TaskEventKind.EventSubmitted, 100, "f"), Event(task, Proto.TaskEventKind.EventForwarded, 110, "f")], 0);
        var first = table.List(new Proto.ListTasksRequest()).Tasks.Single();
        Assert.Equal(Proto.TaskStatus.Finished, first.Status);
        Assert.Equal(100, first.SubmittedUnixMicros);
        Assert.Equal(NodeBytes(NodeTwo), first.NodeId);

        table.Report(NodeTwo, [Event(task, Proto.TaskEventKind.EventQueued, 500, "f", attempt: 1), Event(task, Proto.TaskEventKind.EventDispatched, 90, "f", attempt: 0)], 0);
        var retried = table.List(new Proto.ListTasksRequest()).Tasks.Single();
        Assert.Equal(Proto.TaskStatus.PendingWorker, retried.Status);
        Assert.Equal(1, retried.Attempt);
    }

    [Fact]
    public void AMalformedReportOrQueryIsRefusedNamingTheField()
    {
        var table = new TaskTable(finishedKept: 10);
        var bad = Event(Task(JobA, 1), Proto.TaskEventKind.EventQueued, 1);
        bad.TaskId = Google.Protobuf.ByteString.CopyFrom(1, 2, 3);
        Assert.Contains("events.task_id", Assert.Throws<ArgumentException>(() => table.Report(NodeOne, [bad], 0)).Message, StringComparison.Ordinal);
        Assert.Contains("page_token", Assert.Throws<ArgumentException>(() => table.List(new Proto.ListTasksRequest { PageToken = "x" })).Message, StringComparison.Ordinal);
        Assert.Contains("limit", Assert.Throws<ArgumentException>(() => table.List(new Proto.ListTasksRequest { Limit = 10_001 })).Message, StringComparison.Ordinal);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void ATaskAnotherNodeReportsEarlierStepsOfLaterMovesToItsPlaceInEveryListing()
    {
        var table = new TaskTable(finishedKept: 1000);
        table.Report(NodeTwo, [.. new[] { 100, 200, 300 }.Select(t => Event(Task(JobA, (ulong)t), Proto.TaskEventKind.EventStarted, t, "f"))], 0);
        // Task 300 was submitted on node one at 150: it lists between 100 and 200 from now on, once.
        table.Report(NodeOne, [Event(Task(JobA, 300), Proto.TaskEventKind.EventSubmitted, 150, "f")], 0);

        Assert.Equal([100UL, 300UL, 200UL], Paths(table.List(new Proto.ListTasksRequest())));
        var running = table.List(new Proto.ListTasksRequest { Status = Proto.TaskStatus.Running, Limit = 2 });
        Assert.Equal([100UL, 300UL], Paths(running));
        Assert.Equal(3, running.Total);
        Assert.Equal([200UL], Paths(table.List(new Proto.ListTasksRequest { Status = Proto.TaskStatus.Running, PageToken = running.NextPageToken })));
        Assert.Equal([100UL, 300UL, 200UL], table.Timeline(JobA).Spans.Select(s => TaskKey.Parse(s.TaskId, "task_id").Path));
    }

    [Fact]
    public void ForgottenTasksNeverListAgainWhenTheirPlacesAreTakenByNewTasks()
    {
        var table = new TaskTable(finishedKept: 2);
        table.Report(NodeOne, [Event(Task(JobB, 1), Proto.TaskEventKind.EventStarted, 1, "long")], 0);
        // Enough tasks to forget (and sweep the listing of) thousands, their storage taken again by later ones.
        for (var batch = 0; batch < 5; batch++)
        {
            table.Report(NodeOne, [.. Enumerable.Range((batch * 1000) + 2, 1000).SelectMany(i => Life(Task(JobA, (ulong)i), i * 100, "f"))], 0);
        }

        var all = table.List(new Proto.ListTasksRequest());
        Assert.Equal([1UL, 5000UL, 5001UL], Paths(all));
        Assert.Equal(3, all.Total);
        Assert.Equal(4998, all.Evicted);
        Assert.Equal(3, table.Count);
        Assert.Equal([5000UL, 5001UL], Paths(table.List(new Proto.ListTasksRequest { JobId = Job(JobA) })));
        Assert.Equal(2, table.Summarize(JobA).Functions.Single().Counts["FINISHED"]);
        Assert.Null(table.NameOf(Task(JobA, 4999)));
        Assert.Equal("f", table.NameOf(Task(JobA, 5001)));
    }

    private static ulong[] Paths(Proto.ListTasksReply reply) => [.. reply.Tasks.Select(t => TaskKey.Parse(t.TaskId, "task_id").Path)];
}
