namespace Plexus.Tests;

/// <summary>
/// How a driver process ends, and what it leaves behind: stopped by a signal, killed, or returning
/// from Main without disposing its runtime. Each test spills under a directory of its own.
/// </summary>
public sealed class DriverExitTests : IDisposable
{
    private const int Deadline = 30_000;
    private readonly DirectoryInfo _spillRoot = Directory.CreateTempSubdirectory("plexus-exit-test-");

    [Theory]
    [InlineData(TestDriverProcess.SigTerm)]
    [InlineData(TestDriverProcess.SigInt)]
    public async Task SignalEndsADriverAtOnceWithItsWorkersSharedMemoryAndSpillFiles(int signal)
    {
        using var driver = await TestDriverProcess.StartUntilReadyAsync("spill", _spillRoot.FullName, "run");
        Assert.NotEmpty(SpillDirectories());

        driver.Signal(signal);

        // As for any .NET program with no handler of its own: the signal's default action.
        Assert.Equal(128 + signal, await driver.WaitForExitAsync(TimeSpan.FromMilliseconds(Deadline)));
        Assert.True(await TaskTests.WaitUntilAsync(() => driver.Workers.All(pid => !TestDriverProcess.IsAlive(pid)), Deadline), "workers outlived their driver");
        Assert.Empty(Directory.GetFiles("/dev/shm", $"plexus-{driver.Process.Id}-*"));
        Assert.True(await TaskTests.WaitUntilAsync(() => SpillDirectories().Length == 0, Deadline), "the spill directory outlived its driver");
    }

    [Fact]
    public async Task ReturningFromMainWithoutDisposingRemovesTheSpillDirectoryAsTheDriverExits()
    {
        using var driver = await TestDriverProcess.StartUntilReadyAsync("spill", _spillRoot.FullName, "return");

        Assert.Equal(0, await driver.WaitForExitAsync(TimeSpan.FromMilliseconds(Deadline)));

        // Gone by the time the process has exited: the driver removed it, not its workers after it.
        Assert.Empty(SpillDirectories());
    }

    [Fact]
    public async Task StartingANodeRemovesTheSpillDirectoriesOfDeadNodesAndNeverOfLiveOnes()
    {
        using var live = await TestDriverProcess.StartUntilReadyAsync("spill", _spillRoot.FullName, "run");
        var liveDirectory = Assert.Single(SpillDirectories());
        using var dead = await TestDriverProcess.StartUntilReadyAsync("spill", _spillRoot.FullName, "run");
        var deadDirectory = Assert.Single(SpillDirectories().Except([liveDirectory]));

        // Stopped first, it starts no replacement for the workers killed next: nobody is left to clean up.
        dead.Signal(TestDriverProcess.SigStop);
        foreach (var worker in dead.Workers)
        {
            TestDriverProcess.Send(worker, TestDriverProcess.SigKill);
        }

        dead.Signal(TestDriverProcess.SigKill);
        await dead.WaitForExitAsync(TimeSpan.FromMilliseconds(Deadline));
        Assert.True(await TaskTests.WaitUntilAsync(() => dead.Workers.All(pid => !TestDriverProcess.IsAlive(pid)), Deadline));
        Assert.True(Directory.Exists(deadDirectory), "precondition: the killed driver left its spill directory");

        await using (await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20, SpillDirectory = _spillRoot.FullName }))
        {
            Assert.False(Directory.Exists(deadDirectory), "the dead node's spill directory is still there");
            Assert.NotEmpty(Directory.GetFiles(liveDirectory, "spill-*"));
        }
    }

    public void Dispose() => _spillRoot.Delete(recursive: true);

    private string[] SpillDirectories() => Directory.GetDirectories(_spillRoot.FullName, "plexus-spill-*");
}
