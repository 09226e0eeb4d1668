using System.Diagnostics;

namespace Plexus.Tests;

/// <summary>Tasks that crash their worker process: who is charged a retry, and what the error says.</summary>
[Slow]
public sealed class CrashRetryTests
{
    [Fact]
    public async Task OnlyTheTaskRunningWhenItsWorkerDiesIsChargedARetry()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        var normal = plexus.Task<int, int>(CrashFunctions.Pause);
        var results = new List<ObjectRef<int>>();
        ObjectRef<int> byName = null!, byMethod = null!, byLambda = null!;
        for (var i = 0; i < 40; i++)
        {
            results.Add(normal.Remote(i));
            // Three always-crashing tasks among the normal ones, each named a different way.
            switch (i)
            {
                case 5:
                    byName = plexus.Task<int, int>(CrashFunctions.FailFast).WithOptions(new TaskOptions { Name = "abort-me" }).Remote(i);
                    break;
                case 15:
                    byMethod = plexus.Task<int, int>(CrashFunctions.KillOwnProcess).Remote(i);
                    break;
                case 25:
                    byLambda = plexus.Task(static (int x) =>
                    {
                        Environment.FailFast("a test task crashes its worker on purpose");
                        return x;
                    }).Remote(i);
                    break;
            }
        }

        for (var i = 0; i < results.Count; i++)
        {
            Assert.Equal(i, await results[i].GetAsync(TimeSpan.FromMinutes(3)));
        }

        var abort = await Assert.ThrowsAsync<WorkerCrashedException>(async () => await byName.GetAsync(TimeSpan.FromMinutes(3)));
        Assert.Contains("'abort-me'", abort.Message, StringComparison.Ordinal);
        Assert.Contains("was killed by SIGABRT (exit code 134)", abort.Message, StringComparison.Ordinal);
        Assert.Contains("attempt 4 of 4", abort.Message, StringComparison.Ordinal);

        var killed = await Assert.ThrowsAsync<WorkerCrashedException>(async () => await byMethod.GetAsync(TimeSpan.FromMinutes(3)));
        Assert.Contains("'CrashFunctions.KillOwnProcess'", killed.Message, StringComparison.Ordinal);
        Assert.Contains("killed by SIGKILL", killed.Message, StringComparison.Ordinal);

        var lambda = await Assert.ThrowsAsync<WorkerCrashedException>(async () => await byLambda.GetAsync(TimeSpan.FromMinutes(3)));
        Assert.Contains($"'{nameof(CrashRetryTests)}.{nameof(OnlyTheTaskRunningWhenItsWorkerDiesIsChargedARetry)} (lambda)'", lambda.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("b__", lambda.Message, StringComparison.Ordinal);
    }
}

/// <summary>Task functions that take their worker process down.</summary>
public static class CrashFunctions
{
    public static int FailFast(int value)
    {
        Environment.FailFast("a test task crashes its worker on purpose");
        return value;
    }

    public static int KillOwnProcess(int value)
    {
        Process.GetCurrentProcess().Kill();
        return value;
    }

    /// <summary>A short task, so that tasks queue on a worker behind the one it runs.</summary>
    public static int Pause(int value)
    {
        Thread.Sleep(20);
        return value;
    }
}
