using System.Diagnostics;
using System.Globalization;

namespace Plexus.Tests;

/// <summary>
/// Actors with <see cref="ActorOptions.MaxRestarts"/> whose worker process is killed: built again
/// from their constructor, handles and names still valid, calls in flight sent again or failed, and
/// the death that comes after the last restart ends them for good.
/// </summary>
[Slow]
public sealed class ActorRestartTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task ARestartedActorStartsFromItsConstructorAndKeepsItsHandleAndName()
    {
        using var counter = Plexus.Actor(() => new Counter(10))
            .WithOptions(new ActorOptions { Name = "restarted", Namespace = "restarts", MaxRestarts = 1, MaxTaskRetries = 1 }).Remote();
        for (var i = 0; i < 3; i++)
        {
            await counter.Call(c => c.Add(1)).GetAsync(CallTimeout);
        }

        var pid = await counter.Call(c => c.ProcessId()).GetAsync(CallTimeout);
        KillProcess(pid);

        // The old handle waits for the new instance, whose state is the constructor's (a call that
        // reached the dying worker is sent again).
        Assert.Equal(11, await counter.Call(c => c.Add(1)).GetAsync(CallTimeout));
        Assert.NotEqual(pid, await counter.Call(c => c.ProcessId()).GetAsync(CallTimeout));
        using var found = await Plexus.GetActorAsync<Counter>("restarted", "restarts");
        Assert.Equal(counter.Id, found.Id);
        Assert.Equal(12, await found.Call(c => c.Add(1)).GetAsync(CallTimeout));
    }

    [Fact]
    public async Task AnActorInAProcessOfItsOwnIsRestartedInANewOne()
    {
        using var counter = Plexus.Actor(() => new Counter(10))
            .WithOptions(new ActorOptions { DedicatedProcess = true, MaxRestarts = 1, MaxTaskRetries = -1 }).Remote();
        Assert.Equal(11, await counter.Call(c => c.Add(1)).GetAsync(CallTimeout));
        var pid = await counter.Call(c => c.ProcessId()).GetAsync(CallTimeout);
        KillProcess(pid);

        Assert.Equal(11, await counter.Call(c => c.Add(1)).GetAsync(CallTimeout));
        Assert.NotEqual(pid, await counter.Call(c => c.ProcessId()).GetAsync(CallTimeout));
    }

    [Fact]
    public async Task CallsInFlightAreSentAgainToTheRestartedActorInTheOrderTheirCallerMadeThem()
    {
        using var files = new TempDirectory();
        using var probe = Plexus.Actor(() => new RestartProbe(null))
            .WithOptions(new ActorOptions { MaxRestarts = 1, MaxTaskRetries = 1 }).Remote();
        var (held, queued) = await HoldThenKillAsync(probe, files.Path, calls: 5);

        await held.GetAsync(CallTimeout);
        // Each ran once, on the new instance, in the order made.
        for (var i = 0; i < queued.Length; i++)
        {
            Assert.Equal(Enumerable.Range(1, i + 1), await queued[i].GetAsync(CallTimeout));
        }
    }

    [Fact]
    public async Task CallsInFlightWithoutRetriesFailWithWorkerDiedAndLaterCallsRunOnTheRestartedActor()
    {
        using var files = new TempDirectory();
        using var probe = Plexus.Actor(() => new RestartProbe(null))
            .WithOptions(new ActorOptions { MaxRestarts = 1, MaxConcurrency = 3 }).Remote();
        var release = Path.Combine(files.Path, "release");
        // All three run at once, so all are on the worker when it dies.
        var started = Enumerable.Range(0, 3).Select(i => Path.Combine(files.Path, $"started{i}")).ToArray();
        var held = started.Select(file => probe.Call(p => p.HoldAsync(file, release))).ToArray();
        await Eventually.TrueAsync(() => started.All(File.Exists), "the three calls run");
        KillProcess(int.Parse(File.ReadAllText(started[0]), CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(release, string.Empty);

        foreach (var call in held)
        {
            var died = await Assert.ThrowsAsync<ActorDiedException>(async () => await call.GetAsync(CallTimeout));
            Assert.Equal(ActorDeathCause.WorkerDied, died.Cause);
            Assert.Contains("MaxTaskRetries", died.Message, StringComparison.Ordinal);
        }

        Assert.Equal(new[] { 100 }, await probe.Call(p => p.Append(100)).GetAsync(CallTimeout));
    }

    [Fact]
    public async Task AnActorThatDiesAfterItsLastRestartFailsWithRestartsExhausted()
    {
        // A call made right after a kill may reach the dying worker: it is sent again.
        using var counter = Plexus.Actor(() => new Counter(0)).WithOptions(new ActorOptions { MaxRestarts = 1, MaxTaskRetries = -1 }).Remote();
        KillProcess(await counter.Call(c => c.ProcessId()).GetAsync(CallTimeout));
        KillProcess(await counter.Call(c => c.ProcessId()).GetAsync(CallTimeout));

        var died = await Assert.ThrowsAsync<ActorDiedException>(async () => await counter.Call(c => c.Add(1)).GetAsync(CallTimeout));
        Assert.Equal(ActorDeathCause.RestartsExhausted, died.Cause);
        Assert.Contains("MaxRestarts", died.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConstructorThatThrowsAtARestartEndsTheActorWithConstructorFailed()
    {
        using var files = new TempDirectory();
        var birth = Path.Combine(files.Path, "born");
        using var probe = Plexus.Actor(() => new RestartProbe(birth)).WithOptions(new ActorOptions { MaxRestarts = 3, MaxTaskRetries = -1 }).Remote();
        KillProcess(await probe.Call(p => p.ProcessId()).GetAsync(CallTimeout));

        var died = await Assert.ThrowsAsync<ActorDiedException>(async () => await probe.Call(p => p.Append(1)).GetAsync(CallTimeout));
        Assert.Equal(ActorDeathCause.ConstructorFailed, died.Cause);
        Assert.Contains("built once already", died.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKilledActorIsNeverRestarted()
    {
        using var counter = Plexus.Actor(() => new Counter(0)).WithOptions(new ActorOptions { MaxRestarts = -1 }).Remote();
        await counter.Call(c => c.Add(1)).GetAsync(CallTimeout);
        counter.Kill();

        var died = await Assert.ThrowsAsync<ActorDiedException>(async () => await counter.Call(c => c.Add(1)).GetAsync(CallTimeout));
        Assert.Equal(ActorDeathCause.Killed, died.Cause);
    }

    [Fact]
    public async Task ARestartedActorResumesFromItsLastPeriodicCheckpoint()
    {
        using var counter = Plexus.Actor(() => new CheckpointedCounter(0))
            .WithOptions(new ActorOptions { MaxRestarts = 1, MaxTaskRetries = -1, CheckpointEvery = 5 }).Remote();
        for (var i = 1; i <= 7; i++)
        {
            Assert.Equal(i, await counter.Call(c => c.Add(1)).GetAsync(CallTimeout));
        }

        KillProcess(await counter.Call(c => c.ProcessId()).GetAsync(CallTimeout));

        // The checkpoint after the fifth call: the sixth and seventh are lost with the old instance.
        Assert.Equal(6, await counter.Call(c => c.Add(1)).GetAsync(CallTimeout));
    }

    [Fact]
    public async Task ARestartedActorResumesFromTheCheckpointItWasAskedFor()
    {
        using var counter = Plexus.Actor(() => new CheckpointedCounter(100))
            .WithOptions(new ActorOptions { MaxRestarts = 1, MaxTaskRetries = -1 }).Remote();
        await counter.Call(c => c.Add(3)).GetAsync(CallTimeout);
        await counter.CheckpointAsync();
        await counter.Call(c => c.Add(50)).GetAsync(CallTimeout);

        KillProcess(await counter.Call(c => c.ProcessId()).GetAsync(CallTimeout));

        Assert.Equal(104, await counter.Call(c => c.Add(1)).GetAsync(CallTimeout));
    }

    [Fact]
    public void PeriodicCheckpointsNeedTheCheckpointInterfaceAndRestarts()
    {
        var noInterface = Assert.Throws<ArgumentException>(() =>
            Plexus.Actor(() => new Counter(0)).WithOptions(new ActorOptions { MaxRestarts = 1, CheckpointEvery = 2 }));
        Assert.Contains("IActorCheckpoint", noInterface.Message, StringComparison.Ordinal);
        var noRestarts = Assert.Throws<ArgumentException>(() =>
            Plexus.Actor(() => new CheckpointedCounter(0)).WithOptions(new ActorOptions { CheckpointEvery = 2 }));
        Assert.Contains("MaxRestarts", noRestarts.Message, StringComparison.Ordinal);
    }

    // Holds one call on the actor, queues `calls` appends (1..calls) behind it, kills the actor's
    // worker while they are all in flight, then lets a held call (the re-sent one) go.
    private static async Task<(ObjectRef<int> Held, ObjectRef<int[]>[] Queued)> HoldThenKillAsync(ActorHandle<RestartProbe> probe, string directory, int calls)
    {
        var started = Path.Combine(directory, "started");
        var release = Path.Combine(directory, "release");
        var held = probe.Call(p => p.HoldAsync(started, release));
        var queued = Enumerable.Range(1, calls).Select(i => probe.Call(p => p.Append(i))).ToArray();
        var pid = await Eventually.ValueAsync(() => File.Exists(started) ? int.Parse(File.ReadAllText(started), CultureInfo.InvariantCulture) : 0, p => p != 0,
            "the held call runs");
        KillProcess(pid);
        await File.WriteAllTextAsync(release, string.Empty);
        return (held, queued);
    }

    private static void KillProcess(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit();
    }
}
