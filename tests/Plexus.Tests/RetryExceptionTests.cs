namespace Plexus.Tests;

/// <summary>Tasks whose code throws: retried only when their options ask for it, and only as often as they allow.</summary>
[Slow]
public sealed class RetryExceptionTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task ATaskThatThrowsTwiceSucceedsOnItsThirdExecutionWhenExceptionsAreRetried()
    {
        using var dir = new TempDirectory();
        var runs = Path.Combine(dir.Path, "runs");

        var result = await Plexus.Task<string, int, string, int>(FlakyFunctions.ThrowUntil)
            .WithOptions(new TaskOptions { RetryExceptions = true, MaxRetries = 2 })
            .Remote(runs, 2, nameof(InvalidOperationException));

        Assert.Equal(3, result);
        Assert.Equal(3, FlakyFunctions.Executions(runs));
    }

    [Fact]
    public async Task ExceptionsAreNotRetriedByDefault()
    {
        using var dir = new TempDirectory();
        var runs = Path.Combine(dir.Path, "runs");

        var failed = await Assert.ThrowsAsync<TaskFailedException>(async () =>
            await Plexus.Task<string, int, string, int>(FlakyFunctions.ThrowUntil).Remote(runs, 1, nameof(InvalidOperationException)));

        Assert.IsType<InvalidOperationException>(failed.InnerException);
        Assert.Equal(1, FlakyFunctions.Executions(runs));
    }

    [Fact]
    public async Task AfterTheLastRetryAwaitersGetTheLastExecutionsException()
    {
        using var dir = new TempDirectory();
        var runs = Path.Combine(dir.Path, "runs");

        var failed = await Assert.ThrowsAsync<TaskFailedException>(async () =>
            await Plexus.Task<string, int, string, int>(FlakyFunctions.ThrowUntil)
                .WithOptions(new TaskOptions { RetryExceptions = true, MaxRetries = 2 })
                .Remote(runs, 10, nameof(InvalidOperationException)));

        Assert.Equal("execution 3 fails", Assert.IsType<InvalidOperationException>(failed.InnerException).Message);
        Assert.Equal(3, FlakyFunctions.Executions(runs));
    }

    [Fact]
    public async Task OnlyExceptionsOfTheListedTypesOrTheirSubtypesAreRetried()
    {
        using var dir = new TempDirectory();
        var retried = Path.Combine(dir.Path, "retried");
        var notRetried = Path.Combine(dir.Path, "not-retried");
        var options = new TaskOptions { RetryExceptions = true, RetryExceptionTypes = [typeof(IOException)], MaxRetries = 3 };
        var task = Plexus.Task<string, int, string, int>(FlakyFunctions.ThrowUntil).WithOptions(options);

        // FileNotFoundException derives from IOException.
        Assert.Equal(2, await task.Remote(retried, 1, nameof(FileNotFoundException)));
        Assert.Equal(2, FlakyFunctions.Executions(retried));

        var failed = await Assert.ThrowsAsync<TaskFailedException>(async () => await task.Remote(notRetried, 1, nameof(InvalidOperationException)));
        Assert.IsType<InvalidOperationException>(failed.InnerException);
        Assert.Equal(1, FlakyFunctions.Executions(notRetried));
    }

    [Fact]
    public async Task RetriesAfterAWorkerCrashAndAfterExceptionsShareMaxRetries()
    {
        using var dir = new TempDirectory();
        var runs = Path.Combine(dir.Path, "runs");

        // Execution 1 kills its worker once its start is known (the node runs it again, charging a
        // retry), every later one throws: three executions in all, not a fresh count of exception retries.
        var failed = await Assert.ThrowsAsync<TaskFailedException>(async () =>
            await Plexus.Task<string, int>(FlakyFunctions.CrashThenThrowAsync)
                .WithOptions(new TaskOptions { RetryExceptions = true, MaxRetries = 2 })
                .Remote(runs));

        Assert.Equal("execution 3 fails", Assert.IsType<InvalidOperationException>(failed.InnerException).Message);
        Assert.Equal(3, FlakyFunctions.Executions(runs));
    }

    [Fact]
    public async Task AnExceptionRetryNamesItsChildrenAndPutsApartFromTheFailedExecutions()
    {
        using var dir = new TempDirectory();
        var runs = Path.Combine(dir.Path, "runs");

        // The failed execution's worker lives on and still owns what it made: the retry's ids must differ.
        var result = await Plexus.Task<string, bool, string>(FlakyFunctions.NameChildAndPutThenFailOnceAsync)
            .WithOptions(new TaskOptions { RetryExceptions = true, MaxRetries = 1 })
            .Remote(runs, false);

        Assert.Equal("put by execution 2, child of execution 2", result);
        var names = File.ReadAllLines(runs).Select(line => line.Split(' ')).ToArray();
        Assert.Equal(2, names.Length);
        Assert.NotEqual(names[0][0], names[1][0]);
        Assert.NotEqual(names[0][1], names[1][1]);
    }

    [Fact]
    public async Task ACrashRetryNamesItsChildrenAndPutsAsTheCrashedExecutionDid()
    {
        using var dir = new TempDirectory();
        var runs = Path.Combine(dir.Path, "runs");

        // The crashed execution's worker is dead with all it owned: the retry takes the same ids.
        var result = await Plexus.Task<string, bool, string>(FlakyFunctions.NameChildAndPutThenFailOnceAsync)
            .WithOptions(new TaskOptions { MaxRetries = 1 })
            .Remote(runs, true);

        Assert.Equal("put by execution 2, child of execution 2", result);
        var names = File.ReadAllLines(runs);
        Assert.Equal(2, names.Length);
        Assert.Equal(names[0], names[1]);
    }

    [Fact]
    public void RetryExceptionTypesThatAreNotExceptionsAreRefusedWhenTheOptionsAreGiven()
    {
        var task = Plexus.Task<string, int, string, int>(FlakyFunctions.ThrowUntil);

        var refused = Assert.Throws<ArgumentException>(() =>
            task.WithOptions(new TaskOptions { RetryExceptions = true, RetryExceptionTypes = [typeof(string)] }));

        Assert.Contains("System.String", refused.Message, StringComparison.Ordinal);
    }
}

/// <summary>Task functions that fail a given number of times, counting their executions in a file.</summary>
public static class FlakyFunctions
{
    /// <summary>
    /// Appends a line to <paramref name="runs"/>; throws an exception of the type named
    /// <paramref name="exception"/> while the file has at most <paramref name="failures"/> lines,
    /// and returns the number of executions once it has more.
    /// </summary>
    public static int ThrowUntil(string runs, int failures, string exception)
    {
        File.AppendAllText(runs, "ran\n");
        var execution = Executions(runs);
        if (execution > failures)
        {
            return execution;
        }

        var message = $"execution {execution} fails";
        throw exception switch
        {
            nameof(FileNotFoundException) => new FileNotFoundException(message),
            _ => new InvalidOperationException(message),
        };
    }

    /// <summary>
    /// Appends a line to <paramref name="runs"/>; its first execution kills its own worker process,
    /// every later one throws <see cref="InvalidOperationException"/>. The first awaits a child task
    /// before it kills its worker: a task that waits has told its node it started (a crash before
    /// that is re-run free, as the node cannot tell it from a task still queued there).
    /// </summary>
    public static async Task<int> CrashThenThrowAsync(string runs)
    {
        File.AppendAllText(runs, "ran\n");
        var execution = Executions(runs);
        if (execution == 1)
        {
            await PlexusRuntime.Current.Task(static (int x) => x).Remote(1);
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }

        throw new InvalidOperationException($"execution {execution} fails");
    }

    /// <summary>
    /// Puts an object and submits a child task, then appends their ids to <paramref name="runs"/> as
    /// one line; its first execution then kills its own worker process when <paramref name="crashes"/>,
    /// else throws <see cref="InvalidOperationException"/>. A later execution returns what its put
    /// and child hold. The child is awaited before the line is written, so the node knows the task
    /// started before a crash (a crash before that is re-run free).
    /// </summary>
    public static async Task<string> NameChildAndPutThenFailOnceAsync(string runs, bool crashes)
    {
        var execution = Executions(runs) + 1;
        var plexus = PlexusRuntime.Current;
        using var put = plexus.Put($"put by execution {execution}");
        using var child = plexus.Task(static (int x) => $"child of execution {x}").Remote(execution);
        var childValue = await child;
        File.AppendAllText(runs, $"{put.Id} {child.Id}\n");
        if (execution == 1)
        {
            if (crashes)
            {
                System.Diagnostics.Process.GetCurrentProcess().Kill();
            }

            throw new InvalidOperationException($"execution {execution} fails");
        }

        return $"{await put}, {childValue}";
    }

    /// <summary>How many times one of these functions ran with this file.</summary>
    public static int Executions(string runs) => File.Exists(runs) ? File.ReadAllLines(runs).Length : 0;
}
