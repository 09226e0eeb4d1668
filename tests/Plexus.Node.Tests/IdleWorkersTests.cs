using Microsoft.Extensions.Time.Testing;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>
/// A pool shrinks back to its size: a worker beyond it, idle for the timeout, is asked to stop and
/// is handed nothing while it is asked; busy workers, workers hosting actors and the pool's size are kept.
/// </summary>
public sealed class IdleWorkersTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly StoreHarness _harness = new();
    private readonly FakeTimeProvider _time = new();
    private readonly TaskDispatcher _dispatcher;
    // The workers hosting an actor.
    private readonly HashSet<int> _hostingActors = [];

    public IdleWorkersTests() => _dispatcher = _harness.Dispatcher();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void AWorkerBeyondThePoolsSizeIsAskedOnlyOnceIdleForTheTimeout()
    {
        var workers = AddWorkers(3);
        var idle = Idle(size: 2);

        Sweep(idle);
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Sweep(idle);
        Assert.Empty(Asked(workers));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Sweep(idle);
        Assert.Equal([3], Asked(workers));
        Assert.Equal([1, 2], _dispatcher.Workers.Keys.Order());
    }

    [Fact]
    public void ThePoolNeverDropsBelowItsSize()
    {
        var workers = AddWorkers(4);
        var idle = Idle(size: 2);

        SweepOverTimeout(idle);
        SweepOverTimeout(idle);

        Assert.Equal([3, 4], Asked(workers));
        Assert.Equal(2, idle.Asked);
    }

    [Fact]
    public void WorkersWithATaskOrAnActorAreNotAsked()
    {
        var workers = AddWorkers(3);
        _harness.Dispatch(_dispatcher, StoreHarness.Task());
        var busy = workers.Single(w => w.Executed.Any()).Process;
        _hostingActors.Add(workers.First(w => w.Process != busy).Process);
        var idle = Idle(size: 1);

        SweepOverTimeout(idle);

        var asked = Assert.Single(Asked(workers));
        Assert.DoesNotContain(asked, _hostingActors);
        Assert.NotEqual(busy, asked);
    }

    [Fact]
    public void TasksQueuedWhileAWorkerIsAskedGoToTheOthers()
    {
        var workers = AddWorkers(2);
        var idle = Idle(size: 1);
        SweepOverTimeout(idle);
        var asked = Assert.Single(Asked(workers));

        _harness.Dispatch(_dispatcher, StoreHarness.Task(), StoreHarness.Task());

        Assert.Empty(workers.Single(w => w.Process == asked).Executed);
        Assert.Equal(2, workers.Single(w => w.Process != asked).Executed.Count());
    }

    [Fact]
    public void AWorkerThatSaysNoTakesWorkAgainAndIsAskedAgainOnlyAfterAnotherTimeout()
    {
        var workers = AddWorkers(2);
        var idle = Idle(size: 1);
        SweepOverTimeout(idle);
        Assert.Equal([2], Asked(workers));
        _harness.Dispatch(_dispatcher, StoreHarness.Task());

        Assert.True(idle.Answered(2, stopping: false));
        var next = StoreHarness.Task();
        _harness.Dispatch(_dispatcher, next);
        Assert.Equal([next.Id], workers[1].Executed.Select(t => t.Id));
        var outbox = _harness.Outbox();
        Assert.NotNull(_dispatcher.Complete(2, next.Id, outbox));
        outbox.Flush();

        Sweep(idle);
        Assert.Equal([2], Asked(workers));
        _time.Advance(Timeout);
        Sweep(idle);
        Assert.Equal([2, 2], Asked(workers));
    }

    [Fact]
    public void AWorkerThatSaysYesIsForgottenAndAnAnswerNobodyAskedForChangesNothing()
    {
        var workers = AddWorkers(2);
        var idle = Idle(size: 1);

        Assert.False(idle.Answered(1, stopping: true));
        Assert.Equal([1, 2], _dispatcher.Workers.Keys.Order());

        SweepOverTimeout(idle);
        var asked = Assert.Single(Asked(workers));
        Assert.True(idle.Answered(asked, stopping: true));
        Assert.Equal(0, idle.Asked);
        Assert.DoesNotContain(asked, _dispatcher.Workers.Keys);
        Assert.False(idle.Forget(asked));
    }

    private IdleWorkers Idle(int size) => new(size, package: null, Timeout, _dispatcher, process => _hostingActors.Contains(process) ? 1 : 0, _time);

    private void Sweep(IdleWorkers idle)
    {
        var outbox = _harness.Outbox();
        idle.Sweep(outbox);
        outbox.Flush();
    }

    // Two sweeps a timeout apart: the first sees the workers idle, the second finds them due.
    private void SweepOverTimeout(IdleWorkers idle)
    {
        Sweep(idle);
        _time.Advance(Timeout);
        Sweep(idle);
    }

    private List<StoreHarness.RecordingLink> AddWorkers(int count)
    {
        var links = new List<StoreHarness.RecordingLink>();
        for (var process = 1; process <= count; process++)
        {
            var link = new StoreHarness.RecordingLink(process);
            _harness.Links[process] = link;
            _dispatcher.AddWorker(process, new WorkerState(link));
            links.Add(link);
        }

        return links;
    }

    // The workers asked to stop, once per ask, in process order.
    private static List<int> Asked(IEnumerable<StoreHarness.RecordingLink> workers) =>
        [.. workers.SelectMany(w => w.Received.OfType<StopIfIdle>().Select(_ => w.Process)).Order()];
}
