namespace Plexus.Node.Tests;

/// <summary>
/// A task goes only to a worker where its CPUs fit beside what that worker's actors reserve: a
/// worker refuses to start a task that does not fit, so a task placed there would wait as long as
/// the actor lives.
/// </summary>
public sealed class LeastLoadedPlacementTests
{
    private readonly LeastLoadedPlacement _placement = new(slotsPerWorker: 1, pipelineDepth: 8);

    [Fact]
    public void AWholeCpuTaskSkipsTheIdleWorkerWhoseActorReservesHalfItsCpuForOneThatIsBusyButFits()
    {
        var withActor = new WorkerState(new StoreHarness.RecordingLink(1)) { ReservedCpus = 0.5 };
        var busy = new WorkerState(new StoreHarness.RecordingLink(2));
        var running = StoreHarness.Task();
        busy.InFlight[running.Id] = new InFlightTask(running, [], 0);

        Assert.Same(busy, _placement.Place(StoreHarness.Task() with { Cpus = 1 }, [withActor, busy]));
    }

    [Fact]
    public void ATaskThatFitsBesideTheActorStillGoesToTheLeastLoadedWorker()
    {
        var withActor = new WorkerState(new StoreHarness.RecordingLink(1)) { ReservedCpus = 0.5 };
        var busy = new WorkerState(new StoreHarness.RecordingLink(2));
        var running = StoreHarness.Task();
        busy.InFlight[running.Id] = new InFlightTask(running, [], 0);

        Assert.Same(withActor, _placement.Place(StoreHarness.Task() with { Cpus = 0.5 }, [withActor, busy]));
    }

    [Fact]
    public void NoWorkerIsChosenWhenTheOnlyOneCannotFitTheTaskBesideItsActor()
    {
        var withActor = new WorkerState(new StoreHarness.RecordingLink(1)) { ReservedCpus = 0.5 };

        Assert.Null(_placement.Place(StoreHarness.Task() with { Cpus = 1 }, [withActor]));
    }
}
