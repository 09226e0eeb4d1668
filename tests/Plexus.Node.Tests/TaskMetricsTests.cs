using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>What the scheduler tells the node's metrics: tasks by state, how long each waited, how tasks it failed ended.</summary>
public sealed class TaskMetricsTests : IDisposable
{
    private static readonly Dictionary<string, double> OneSsd = new() { ["ssd"] = 1 };

    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void EachTaskCountsInTheOneStateItIsIn()
    {
        var dispatcher = _harness.Dispatcher(offered: OneSsd);
        var worker = AddWorker(dispatcher, 1);
        var ssdTask = StoreHarness.Task() with { Resources = new Dictionary<string, double>(OneSsd) };
        var plain = Enumerable.Range(0, 12).Select(_ => StoreHarness.Task()).ToArray();

        // The first holds the node's only SSD, the second waits for it, the third asks for more CPUs than a worker has.
        _harness.Dispatch(dispatcher, [ssdTask, ssdTask with { Id = TestNode.NewId().Task }, StoreHarness.Task() with { Cpus = 2 }, .. plain]);

        var handedOut = worker.Executed.Count();
        var counts = dispatcher.CountByState();
        Assert.Equal((1, 1, 0), (counts.WaitingForResources, counts.Infeasible, counts.WaitingForArguments));
        Assert.Equal(handedOut, counts.Running);
        Assert.True(counts.Queued > 0, "the worker took every task: the test needs some to wait for room");
        Assert.Equal(1 + plain.Length, counts.Running + counts.Queued);
    }

    [Fact]
    public void SchedulingLatencyIsTheTimeATaskWaitedQueuedAtTheNode()
    {
        var time = new FakeTimeProvider();
        using var meter = new Meter($"test-{Guid.NewGuid():N}");
        using var recorder = new MetricsRecorder(meter.Name, "n1");
        var latency = new SchedulingLatency(meter.CreateHistogram<double>("latency"), new("node", "n1"), time);
        var dispatcher = _harness.Dispatcher(latency: latency);
        _harness.Dispatch(dispatcher, StoreHarness.Task());

        time.Advance(TimeSpan.FromSeconds(2));
        var worker = AddWorker(dispatcher, 1);
        var outbox = _harness.Outbox();
        dispatcher.Dispatch(outbox);
        outbox.Flush();

        Assert.Single(worker.Executed);
        Assert.Equal([2.0], recorder.Recorded("latency"));
    }

    [Fact]
    public void ATaskWhoseWorkerDiedPastItsRetriesCountsAsFailed()
    {
        var activity = new NodeActivity();
        var owner = _harness.Links[0] = new StoreHarness.RecordingLink(0);
        var dispatcher = _harness.Dispatcher(activity: activity);
        AddWorker(dispatcher, 1);
        var task = StoreHarness.Task() with { MaxRetries = 0 };
        _harness.Dispatch(dispatcher, task);
        dispatcher.SetStarted(1, task.Id);

        var outbox = _harness.Outbox();
        dispatcher.RemoveWorker(1, "worker process 1 was killed", outbox, _ => { });
        outbox.Flush();

        Assert.Equal((1, 0), (activity.Finished(TaskOutcome.Failed), activity.Finished(TaskOutcome.Succeeded)));
        Assert.Equal(ErrorKind.WorkerCrashed, Assert.Single(owner.Received.OfType<TaskFinished>()).Error?.Kind);
    }

    private StoreHarness.RecordingLink AddWorker(TaskDispatcher dispatcher, int process)
    {
        var link = new StoreHarness.RecordingLink(process);
        _harness.Links[process] = link;
        dispatcher.AddWorker(process, new WorkerState(link));
        return link;
    }
}
