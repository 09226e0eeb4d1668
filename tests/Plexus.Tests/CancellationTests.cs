namespace Plexus.Tests;

/// <summary>
/// A cluster whose workers take no more tasks than they have slots (no pipelining), so a task
/// submitted while every worker is busy waits at the node.
/// </summary>
public sealed class UnpipelinedClusterFixture : ClusterFixture
{
    protected override PlexusOptions Options => new() { Cpus = 2, PipelineDepth = 0, StoreCapacity = 256L << 20 };
}

/// <summary>Cancelling tasks: where each waits or runs, what its awaiters see, and what it leaves behind.</summary>
[Slow]
public sealed class CancellationTests(UnpipelinedClusterFixture cluster) : IClassFixture<UnpipelinedClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task ATaskQueuedAtTheNodeThatIsCancelledNeverRunsAndItsAwaitersGetTaskCancelled()
    {
        using var dir = new TempDirectory();
        var release = Path.Combine(dir.Path, "release");
        var gates = await OccupyEveryWorkerAsync(dir.Path, release);
        var ran = Path.Combine(dir.Path, "ran");

        var queued = Plexus.Task<string, int>(CancellationFunctions.Mark).Remote(ran);
        Plexus.Cancel(queued);

        await Assert.ThrowsAsync<TaskCancelledException>(async () => await queued.GetAsync(TimeSpan.FromMinutes(1)));
        await File.WriteAllTextAsync(release, "");
        await Plexus.GetAsync(gates, TimeSpan.FromMinutes(1));
        // Tasks run in the order they were submitted: once a later one has run, the cancelled one would have.
        Assert.Equal(1, await Plexus.Task<string, int>(CancellationFunctions.Mark).Remote(Path.Combine(dir.Path, "later")).GetAsync(TimeSpan.FromMinutes(1)));
        Assert.False(File.Exists(ran));
    }

    [Fact]
    public async Task ARunningTaskThatObservesItsTokenStopsAndItsAwaitersGetTaskCancelled()
    {
        using var dir = new TempDirectory();
        var started = Path.Combine(dir.Path, "started");
        var outcome = Path.Combine(dir.Path, "outcome");
        var running = Plexus.Task<string, string, string, CancellationToken, int>(CancellationFunctions.RunUntilReleasedAsync)
            .Remote(started, outcome, Path.Combine(dir.Path, "release"), CancellationToken.None);
        await Eventually.TrueAsync(() => File.Exists(started));

        Plexus.Cancel(running);

        var cancelled = await Assert.ThrowsAsync<TaskCancelledException>(async () => await running.GetAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("cancelled while it ran", cancelled.Message, StringComparison.Ordinal);
        Assert.Equal("cancelled", await File.ReadAllTextAsync(outcome));
    }

    [Fact]
    public async Task ATokenGivenAtSubmissionCancelsTheTaskWhenItIsCancelled()
    {
        using var dir = new TempDirectory();
        var task = Plexus.Task<string, string, string, CancellationToken, int>(CancellationFunctions.RunUntilReleasedAsync);
        using var forBuilder = new CancellationTokenSource();
        using var forArgument = new CancellationTokenSource();
        var byBuilder = task.WithCancellation(forBuilder.Token)
            .Remote(Path.Combine(dir.Path, "started-0"), Path.Combine(dir.Path, "outcome-0"), Path.Combine(dir.Path, "release"), CancellationToken.None);
        var byArgument = task.Remote(Path.Combine(dir.Path, "started-1"), Path.Combine(dir.Path, "outcome-1"), Path.Combine(dir.Path, "release"), forArgument.Token);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(dir.Path, "started-0")) && File.Exists(Path.Combine(dir.Path, "started-1")));

        await forBuilder.CancelAsync();
        await forArgument.CancelAsync();

        await Assert.ThrowsAsync<TaskCancelledException>(async () => await byBuilder.GetAsync(TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAsync<TaskCancelledException>(async () => await byArgument.GetAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("cancelled", await File.ReadAllTextAsync(Path.Combine(dir.Path, "outcome-0")));
        Assert.Equal("cancelled", await File.ReadAllTextAsync(Path.Combine(dir.Path, "outcome-1")));
    }

    [Fact]
    public async Task ATokenCancelledBeforeSubmissionCancelsTheTaskBeforeItRuns()
    {
        using var dir = new TempDirectory();
        var ran = Path.Combine(dir.Path, "ran");

        var never = Plexus.Task<string, int>(CancellationFunctions.Mark).WithCancellation(new CancellationToken(canceled: true)).Remote(ran);

        await Assert.ThrowsAsync<TaskCancelledException>(async () => await never.GetAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(1, await Plexus.Task<string, int>(CancellationFunctions.Mark).Remote(Path.Combine(dir.Path, "later")).GetAsync(TimeSpan.FromMinutes(1)));
        Assert.False(File.Exists(ran));
    }

    [Fact]
    public async Task AnInfeasibleTaskThatIsCancelledIsAnsweredCancelled()
    {
        using var dir = new TempDirectory();
        var ran = Path.Combine(dir.Path, "ran");
        var infeasible = Plexus.Task<string, int>(CancellationFunctions.Mark).WithOptions(new TaskOptions { Cpus = 64 }).Remote(ran);

        Plexus.Cancel(infeasible);

        var cancelled = await Assert.ThrowsAsync<TaskCancelledException>(async () => await infeasible.GetAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("cancelled before it started", cancelled.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ran));
    }

    [Fact]
    public async Task CancellingAFinishedTaskLeavesItsResult()
    {
        using var dir = new TempDirectory();
        var done = Plexus.Task<string, int>(CancellationFunctions.Mark).Remote(Path.Combine(dir.Path, "ran"));
        Assert.Equal(1, await done.GetAsync(TimeSpan.FromMinutes(1)));

        Plexus.Cancel(done);

        Assert.Equal(1, await done.GetAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void APutHasNoTaskToCancel()
    {
        using var value = Plexus.Put(42);

        Assert.Throws<ArgumentException>(() => Plexus.Cancel(value));
    }

    // Starts one task per worker slot that runs until `release` exists, and returns once all run.
    private async Task<ObjectRef<int>[]> OccupyEveryWorkerAsync(string dir, string release)
    {
        var slots = Plexus.WorkerProcessIds.Count;
        var started = Enumerable.Range(0, slots).Select(i => Path.Combine(dir, $"gate-{i}")).ToArray();
        var gates = started.Select(marker => Plexus.Task<string, string, int>(CancellationFunctions.HoldUntil).Remote(marker, release)).ToArray();
        await Eventually.TrueAsync(() => started.All(File.Exists));
        return gates;
    }
}

/// <summary>A cluster of one worker, which pipelines: tasks queue on the worker behind the one it runs.</summary>
public sealed class SingleWorkerClusterFixture : ClusterFixture
{
    protected override PlexusOptions Options => new() { Cpus = 1, StoreCapacity = 256L << 20 };
}

/// <summary>Cancelling tasks a worker holds: queued behind another there, or running and ignoring their token.</summary>
[Slow]
public sealed class WorkerCancellationTests(SingleWorkerClusterFixture cluster) : IClassFixture<SingleWorkerClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task ATaskQueuedOnItsWorkerThatIsCancelledIsDroppedThereAndNeverRuns()
    {
        using var dir = new TempDirectory();
        var release = Path.Combine(dir.Path, "release");
        var gateStarted = Path.Combine(dir.Path, "gate");
        var gate = Plexus.Task<string, string, int>(CancellationFunctions.HoldUntil).Remote(gateStarted, release);
        await Eventually.TrueAsync(() => File.Exists(gateStarted));
        var ran = Path.Combine(dir.Path, "ran");

        var queued = Plexus.Task<string, int>(CancellationFunctions.Mark).Remote(ran);
        Plexus.Cancel(queued);

        var cancelled = await Assert.ThrowsAsync<TaskCancelledException>(async () => await queued.GetAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("cancelled before it started", cancelled.Message, StringComparison.Ordinal);
        await File.WriteAllTextAsync(release, "");
        Assert.Equal(1, await gate.GetAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(1, await Plexus.Task<string, int>(CancellationFunctions.Mark).Remote(Path.Combine(dir.Path, "later")).GetAsync(TimeSpan.FromMinutes(1)));
        Assert.False(File.Exists(ran));
    }

    [Fact]
    public async Task ARunningTaskThatIgnoresItsTokenIsStoppedByForceAndTheTasksQueuedBehindItStillRun()
    {
        using var dir = new TempDirectory();
        var started = Path.Combine(dir.Path, "started");
        var stubborn = Plexus.Task<string, CancellationToken, int>(CancellationFunctions.IgnoreCancellation).Remote(started, CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => File.Exists(started));
            var pid = int.Parse(await File.ReadAllTextAsync(started), System.Globalization.CultureInfo.InvariantCulture);
            var bystander = Plexus.Task<string, int>(CancellationFunctions.Mark).Remote(Path.Combine(dir.Path, "bystander"));

            Plexus.Cancel(stubborn, force: true);

            var cancelled = await Assert.ThrowsAsync<TaskCancelledException>(async () => await stubborn.GetAsync(TimeSpan.FromMinutes(1)));
            Assert.Contains("cancelled by force", cancelled.Message, StringComparison.Ordinal);
            Assert.Equal(1, await bystander.GetAsync(TimeSpan.FromMinutes(1)));
            await Eventually.TrueAsync(() => !IsRunning(pid));
            await Eventually.TrueAsync(() => Plexus.WorkerProcessIds.Count == 1 && !Plexus.WorkerProcessIds.Contains(pid));
        }
        finally
        {
            // The fixture's one worker must not stay taken by it when the test failed early: the next tests need it.
            Plexus.Cancel(stubborn, force: true);
        }
    }

    [Fact]
    public async Task ARecursiveCancelCancelsTheTasksTheTaskSubmitted()
    {
        using var dir = new TempDirectory();
        var parent = Plexus.Task<string, CancellationToken, int>(CancellationFunctions.AwaitThreeChildrenAsync).Remote(dir.Path, CancellationToken.None);
        await Eventually.TrueAsync(() => ChildFiles(dir.Path, "started").All(File.Exists));

        Plexus.Cancel(parent, recursive: true);

        await Assert.ThrowsAsync<TaskCancelledException>(async () => await parent.GetAsync(TimeSpan.FromMinutes(1)));
        var outcomes = await Eventually.ValueAsync(() => ChildFiles(dir.Path, "outcome").Select(f => File.Exists(f) ? File.ReadAllText(f) : "").ToArray(),
            read => read.All(o => o.Length > 0));
        Assert.All(outcomes, outcome => Assert.Equal("cancelled", outcome));
    }

    [Fact]
    public async Task ACancelThatIsNotRecursiveLeavesTheTasksTheTaskSubmittedRunning()
    {
        using var dir = new TempDirectory();
        var parent = Plexus.Task<string, CancellationToken, int>(CancellationFunctions.AwaitThreeChildrenAsync).Remote(dir.Path, CancellationToken.None);
        await Eventually.TrueAsync(() => ChildFiles(dir.Path, "started").All(File.Exists));

        Plexus.Cancel(parent);

        await Assert.ThrowsAsync<TaskCancelledException>(async () => await parent.GetAsync(TimeSpan.FromMinutes(1)));
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "release"), "");
        var outcomes = await Eventually.ValueAsync(() => ChildFiles(dir.Path, "outcome").Select(f => File.Exists(f) ? File.ReadAllText(f) : "").ToArray(),
            read => read.All(o => o.Length > 0));
        Assert.All(outcomes, outcome => Assert.Equal("finished", outcome));
    }

    [Fact]
    public async Task AForcedRecursiveCancelEndsTheTaskByForce()
    {
        using var dir = new TempDirectory();
        var parent = Plexus.Task<string, CancellationToken, int>(CancellationFunctions.AwaitThreeChildrenAsync).Remote(dir.Path, CancellationToken.None);
        await Eventually.TrueAsync(() => ChildFiles(dir.Path, "started").All(File.Exists));

        Plexus.Cancel(parent, force: true, recursive: true);

        var cancelled = await Assert.ThrowsAsync<TaskCancelledException>(async () => await parent.GetAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("cancelled by force", cancelled.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Plexus.WorkerProcessIds.Count == 1);
    }

    private static string[] ChildFiles(string dir, string kind) => [.. Enumerable.Range(0, 3).Select(i => Path.Combine(dir, $"{kind}-{i}"))];

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>Task functions for cancellation: they leave markers saying how far they got.</summary>
public static class CancellationFunctions
{
    // How long a task that waits for a file gives up after, so a failed test leaves no worker busy for ever.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    /// <summary>Writes <paramref name="marker"/> and returns 1.</summary>
    public static int Mark(string marker)
    {
        File.WriteAllText(marker, "ran");
        return 1;
    }

    /// <summary>Writes <paramref name="started"/>, then holds its CPU until <paramref name="release"/> exists.</summary>
    public static int HoldUntil(string started, string release)
    {
        File.WriteAllText(started, "started");
        WaitForFile(release, CancellationToken.None);
        return 1;
    }

    /// <summary>
    /// Writes <paramref name="started"/>, then waits until <paramref name="release"/> exists or its
    /// token is cancelled, and writes which to <paramref name="outcome"/> ("finished" or "cancelled").
    /// </summary>
    public static async Task<int> RunUntilReleasedAsync(string started, string outcome, string release, CancellationToken token)
    {
        await File.WriteAllTextAsync(started, "started", CancellationToken.None);
        var deadline = DateTime.UtcNow + GiveUpAfter;
        try
        {
            while (!File.Exists(release) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, token);
            }
        }
        catch (OperationCanceledException)
        {
            await File.WriteAllTextAsync(outcome, "cancelled", CancellationToken.None);
            throw;
        }

        await File.WriteAllTextAsync(outcome, "finished", CancellationToken.None);
        return 1;
    }

    /// <summary>
    /// Submits three children that hold no CPU (<see cref="RunUntilReleasedAsync"/> in
    /// <paramref name="dir"/>: started-i, outcome-i, and the file "release"), then awaits them, or
    /// until its token is cancelled.
    /// </summary>
    public static async Task<int> AwaitThreeChildrenAsync(string dir, CancellationToken token)
    {
        var child = PlexusRuntime.Current.Task<string, string, string, CancellationToken, int>(RunUntilReleasedAsync)
            .WithOptions(new TaskOptions { Cpus = 0 });
        var children = Enumerable.Range(0, 3)
            .Select(i => child.Remote(Path.Combine(dir, $"started-{i}"), Path.Combine(dir, $"outcome-{i}"), Path.Combine(dir, "release"), CancellationToken.None))
            .ToArray();
        var results = await PlexusRuntime.Current.GetAsync(children, cancellationToken: token);
        return results.Sum();
    }

    /// <summary>Writes its process id to <paramref name="started"/>, then holds its CPU without ever looking at its token.</summary>
    public static int IgnoreCancellation(string started, CancellationToken token)
    {
        _ = token;
        // Whole or not at all: the test reads the process id as soon as the file exists.
        File.WriteAllText(started + ".tmp", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(started + ".tmp", started);
        Thread.Sleep(GiveUpAfter);
        return 1;
    }

    private static void WaitForFile(string path, CancellationToken token)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (!File.Exists(path))
        {
            token.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} did not appear within {GiveUpAfter}.");
            }

            Thread.Sleep(10);
        }
    }
}
