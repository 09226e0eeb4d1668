using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>
/// A node counts what its running work holds: a task asking for a resource the node offers once
/// waits while another holds it, and the CPUs of the node are shared by every pool on it.
/// </summary>
public sealed class ResourceAccountingTests : IDisposable
{
    private static readonly Dictionary<string, double> OneSsd = new() { ["ssd"] = 1 };

    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void TwoTasksAskingForTheNodesOnlySsdRunOneAfterTheOther()
    {
        var dispatcher = _harness.Dispatcher(offered: OneSsd);
        var workers = AddWorkers(dispatcher, 2);
        var (first, second) = (SsdTask(), SsdTask());

        _harness.Dispatch(dispatcher, first, second);
        Assert.Equal([first.Id], Executed(workers));

        Finish(dispatcher, workers, first);
        Assert.Equal([first.Id, second.Id], Executed(workers));
    }

    [Fact]
    public void ATaskWaitingForAResourceInUseLetsTasksThatNeedOtherThingsGoAhead()
    {
        var dispatcher = _harness.Dispatcher(offered: OneSsd);
        var workers = AddWorkers(dispatcher, 2);
        var (holder, waiting, plain) = (SsdTask(), SsdTask(), StoreHarness.Task());

        _harness.Dispatch(dispatcher, holder, waiting, plain);

        Assert.Equal(new[] { holder.Id, plain.Id }.ToHashSet(), Executed(workers).ToHashSet());
        Assert.Equal(1, dispatcher.Demand("ssd") - dispatcher.Resources.Held("ssd"));
    }

    [Fact]
    public void AResourceHeldByATaskWhoseWorkerDiedGoesToItsRetry()
    {
        var dispatcher = _harness.Dispatcher(offered: OneSsd);
        var dying = new StoreHarness.RecordingLink(1);
        _harness.Links[1] = dying;
        dispatcher.AddWorker(1, new WorkerState(dying));
        var task = SsdTask() with { MaxRetries = 1 };
        _harness.Dispatch(dispatcher, task);
        dispatcher.SetStarted(1, task.Id);

        var outbox = _harness.Outbox();
        dispatcher.RemoveWorker(1, "worker process 1 was killed", outbox, _ => { });
        var replacement = AddWorkers(dispatcher, 1, firstProcess: 2);
        dispatcher.Dispatch(outbox);
        outbox.Flush();

        var retried = Assert.Single(replacement.SelectMany(w => w.Executed));
        Assert.Equal((task.Id, 1), (retried.Id, retried.Attempt));
    }

    [Fact]
    public void PoolsOfTwoPackagesOnATwoCpuNodeKeepAtMostTwoWorkersBusy()
    {
        var (jobA, jobB) = (JobId.NewRandom(), JobId.NewRandom());
        var dispatcher = _harness.Dispatcher(cpus: 2, packageOf: job => job == jobA ? "a" : job == jobB ? "b" : null);
        var workers = AddWorkers(dispatcher, 2, firstProcess: 1, package: "a").Concat(AddWorkers(dispatcher, 2, firstProcess: 3, package: "b")).ToList();
        // More than the busy workers take with their pipelines: some stay queued at the node.
        var tasks = Enumerable.Range(0, 12).SelectMany(_ => new[] { TaskOf(jobA), TaskOf(jobB) }).ToArray();

        _harness.Dispatch(dispatcher, tasks);
        Assert.Equal(2, BusyWorkers(dispatcher).Count);
        Assert.True(Executed(workers).Count < tasks.Length, "every task was handed out: the test needs some to wait");

        // A worker whose tasks are done gives its slot back, and only then may another take it.
        var drained = workers.Single(w => w.Process == BusyWorkers(dispatcher)[0]);
        foreach (var spec in drained.Executed.ToList())
        {
            Finish(dispatcher, [drained], spec);
            Assert.True(BusyWorkers(dispatcher).Count <= 2, $"workers {string.Join(", ", BusyWorkers(dispatcher))} of a 2-CPU node have tasks at once");
        }

        Assert.Equal(2, BusyWorkers(dispatcher).Count);
    }

    [Fact]
    public void AWholeCpuTaskThatNoWorkerFitsBesideItsActorAsksForAnotherWorkerOfItsPackage()
    {
        var job = JobId.NewRandom();
        var dispatcher = _harness.Dispatcher(cpus: 2, packageOf: j => j == job ? "a" : null);
        var wanted = new List<(string? Package, double Free)>();
        dispatcher.WorkerWanted = (package, free, _) => wanted.Add((package, free));
        var workers = AddWorkers(dispatcher, 2, package: "a");
        foreach (var worker in dispatcher.Workers.Values)
        {
            worker.ReservedCpus = 0.5;
        }

        _harness.Dispatch(dispatcher, TaskOf(job) with { Cpus = 1 });

        Assert.Empty(Executed(workers));
        Assert.Equal([("a", 1.0)], wanted);
    }

    [Fact]
    public void ATaskWaitingForBusyWorkersWithNoActorsAsksForNoOtherWorker()
    {
        var dispatcher = _harness.Dispatcher(cpus: 2);
        var wanted = 0;
        dispatcher.WorkerWanted = (_, _, _) => wanted++;
        var workers = AddWorkers(dispatcher, 2);
        // More than the workers take with their pipelines: the rest wait for them.
        var tasks = Enumerable.Range(0, 30).Select(_ => StoreHarness.Task()).ToArray();

        _harness.Dispatch(dispatcher, tasks);

        Assert.True(Executed(workers).Count < tasks.Length, "every task was handed out: the test needs some to wait");
        Assert.Equal(0, wanted);
    }

    // The workers with a task to run (not waiting on futures): each runs a slot's worth.
    private static List<int> BusyWorkers(TaskDispatcher dispatcher) => dispatcher.Workers.Where(w => w.Value.Load > 0).Select(w => w.Key).Order().ToList();

    private List<StoreHarness.RecordingLink> AddWorkers(TaskDispatcher dispatcher, int count, int firstProcess = 1, string? package = null)
    {
        var links = new List<StoreHarness.RecordingLink>();
        for (var process = firstProcess; process < firstProcess + count; process++)
        {
            var link = new StoreHarness.RecordingLink(process);
            _harness.Links[process] = link;
            dispatcher.AddWorker(process, new WorkerState(link, package));
            links.Add(link);
        }

        return links;
    }

    private void Finish(TaskDispatcher dispatcher, IEnumerable<StoreHarness.RecordingLink> workers, TaskSpec task)
    {
        var worker = workers.Single(w => w.Executed.Any(e => e.Id == task.Id));
        var outbox = _harness.Outbox();
        Assert.NotNull(dispatcher.Complete(worker.Process, task.Id, outbox));
        dispatcher.Dispatch(outbox);
        outbox.Flush();
    }

    private static List<TaskId> Executed(IEnumerable<StoreHarness.RecordingLink> workers) =>
        workers.SelectMany(w => w.Received.OfType<ExecuteTask>()).Select(e => e.Spec.Id).ToList();

    private static TaskSpec SsdTask() => StoreHarness.Task() with { Resources = new Dictionary<string, double>(OneSsd) };

    private static TaskSpec TaskOf(JobId job) => StoreHarness.Task() with { Id = TestNode.NewId().Task with { Job = job } };
}
