namespace Plexus.Tests;

/// <summary>
/// How a driver process ends, and what it leaves behind: stopped by a signal, killed, or returning
/// from Main without disposing its runtime. Each test spills under a directory of its own.
/// </summary>
[Slow]
public sealed class DriverExitTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _spillRoot = new();

    [Theory]
    [InlineData(TestDriverProcess.SigTerm)]
    [InlineData(TestDriverProcess.SigInt)]
    public async Task SignalEndsADriverAtOnceWithItsWorkersSharedMemoryAndSpillFiles(int signal)
    {
        using var driver = await TestDriverProcess.StartUntilReadyAsync("spill", _spillRoot.Path, "run");
        Assert.NotEmpty(SpillDirectories());

        driver.Signal(signal);

        // As for any .NET program with no handler of its own: the signal's default action.
        Assert.Equal(128 + signal, await driver.WaitForExitAsync(Deadline));
        await Eventually.TrueAsync(() => driver.Workers.All(pid => !TestDriverProcess.IsAlive(pid)), "the driver's workers exit", Deadline);
        Assert.Empty(Directory.GetFiles("/dev/shm", $"plexus-{driver.Process.Id}-*"));
        await Eventually.TrueAsync(() => SpillDirectories().Length == 0, "the spill directory goes with its driver", Deadline);
    }

    [Fact]
    public async Task ReturningFromMainWithoutDisposingRemovesTheSpillDirectoryAsTheDriverExits()
    {
        using var driver = await TestDriverProcess.StartUntilReadyAsync("spill", _spillRoot.Path, "return");

        Assert.Equal(0, await driver.WaitForExitAsync(Deadline));

        // Gone by the time the process has exited: the driver removed it, not its workers after it.
        Assert.Empty(SpillDirectories());
    }

    [Fact]
    public async Task StartingANodeRemovesTheSpillDirectoriesOfDeadNodesAndNeverOfLiveOnes()
    {
        using var live = await TestDriverProcess.StartUntilReadyAsync("spill", _spillRoot.Path, "run");
        var liveDirectory = Assert.Single(SpillDirectories());
        using var dead = await TestDriverProcess.StartUntilReadyAsync("spill", _spillRoot.Path, "run");
        var deadDirectory = Assert.Single(SpillDirectories().Except([liveDirectory]));

        // Stopped first, it starts no replacement for the workers killed next: nobody is left to clean up.
        dead.Signal(TestDriverProcess.SigStop);
        foreach (var worker in dead.Workers)
        {
            TestDriverProcess.Send(worker, TestDriverProcess.SigKill);
        }

        dead.Signal(TestDriverProcess.SigKill);
        await dead.WaitForExitAsync(Deadline);
        await Eventually.TrueAsync(() => dead.Workers.All(pid => !TestDriverProcess.IsAlive(pid)), "the killed driver's workers exit", Deadline);
        Assert.True(Directory.Exists(deadDirectory), "precondition: the killed driver left its spill directory");

        await using (await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20, SpillDirectory = _spillRoot.Path }))
        {
            Assert.False(Directory.Exists(deadDirectory), "the dead node's spill directory is still there");
            Assert.NotEmpty(Directory.GetFiles(liveDirectory, "spill-*"));
        }
    }

    public void Dispose() => _spillRoot.Dispose();

    private string[] SpillDirectories() => Directory.GetDirectories(_spillRoot.Path, "plexus-spill-*");
}
