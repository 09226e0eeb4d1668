using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>The pressure loop's decisions, step by step on a fake clock: when a round may start, when a spill pass may.</summary>
public sealed class PressureControllerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly StoreHarness _harness;
    private readonly ProcessTable _processes = new();
    private readonly StoreHarness.RecordingLink _runtime = new(0);
    private readonly PressureController _controller;

    public PressureControllerTests()
    {
        _harness = new StoreHarness(_time);
        _processes.ConnectDriver(_runtime, pid: 0);
        _controller = new PressureController(_harness.Objects, _processes, _harness.Spills, () => "no pins", _time, NullLogger.Instance);
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void RoundsDrivenByHighWaterAloneAreAtLeastTheRoundIntervalApart()
    {
        FillAboveHighWater();
        CreatePastHighWater();
        var first = Step();
        Assert.NotNull(first.Round);
        Assert.Equal(first.Round.Number, Assert.IsType<CollectGarbage>(Assert.Single(_runtime.Received)).Round);
        EndRound(first.Round);

        CreatePastHighWater();
        var tooSoon = Step();
        Assert.Null(tooSoon.Round);
        Assert.Null(tooSoon.Victims);
        Assert.Equal(TimeSpan.FromMilliseconds(50), tooSoon.Wait);

        _time.Advance(TimeSpan.FromMilliseconds(50));
        var next = Step();
        Assert.NotNull(next.Round);
        Assert.Equal(2, _runtime.Received.Count);
    }

    [Fact]
    public void AfterAFailedSpillTheNextPassWaitsASecondOnTheNodesClock()
    {
        FillAboveHighWater();
        var victims = Step().Victims;
        Assert.NotNull(victims);

        var outbox = _harness.Outbox();
        _controller.EndSpill(victims, file: null, failure: "No space left on device", TimeSpan.Zero, outbox);
        outbox.Flush();
        Assert.All(victims, v => Assert.Equal(StoredObjectState.InMemory, v.State));
        var waiting = Step();
        Assert.Null(waiting.Victims);
        Assert.Equal(TimeSpan.FromSeconds(1), waiting.Wait);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(Step().Victims);
    }

    // Sealed objects above the store's high-water mark, with no round wanted yet.
    private void FillAboveHighWater()
    {
        while (_harness.Store.Used <= _harness.Objects.HighWaterBytes)
        {
            _harness.Sealed();
        }
    }

    // A create that is served at once and leaves usage above high water, which asks for a round.
    private void CreatePastHighWater()
    {
        var outbox = _harness.Outbox();
        _harness.Objects.Create(new PendingCreate(1, TestNode.NewId(), 1_000, 0, 0, _time.GetTimestamp(), (_, reply) => Assert.Null(reply.Error)), outbox);
        outbox.Flush();
    }

    private PressureController.Step Step()
    {
        var outbox = _harness.Outbox();
        var step = _controller.NextStep(outbox);
        outbox.Flush();
        return step;
    }

    private void EndRound(PressureRound round)
    {
        var outbox = _harness.Outbox();
        _controller.EndRound(round, outbox);
        outbox.Flush();
    }
}
