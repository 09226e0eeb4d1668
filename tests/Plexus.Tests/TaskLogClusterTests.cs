using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Plexus.Tests;

/// <summary>
/// What tasks and actors log through <see cref="PlexusRuntime.LoggerFactory"/> on the embedded
/// cluster: it reaches the driver's own logging tagged with where it ran, and the worker's log file.
/// </summary>
[Slow]
public sealed class TaskLogClusterTests
{
    [Fact]
    public async Task ATasksAndAnActorsEntriesReachTheDriversLoggerAndTheWorkersLogFileTaggedWithWhereTheyRan()
    {
        using var logDirectory = new TempDirectory();
        var log = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(log));
        await using var plexus = await PlexusRuntime.StartLocalAsync(
            new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20, LogDirectory = logDirectory.Path }, factory);

        using var squared = plexus.Task<int, int>(TaskLogFunctions.SquareAndLog).Remote(7);
        Assert.Equal(49, await squared);
        using var actor = plexus.Actor(() => new LoggingCounter()).Remote();
        using var added = actor.Call(c => c.Add(5));
        Assert.Equal(5, await added);

        var task = squared.Id.Task.ToString();
        var fromTask = await Eventually.ValueAsync(() => log.Entries.FirstOrDefault(e => e.Message == "Squaring 7"), e => e is not null, "the task's entry reaches the driver");
        Assert.Equal(typeof(TaskLogFunctions).FullName, fromTask!.Category);
        Assert.Equal(LogLevel.Information, fromTask.Level);
        Assert.Equal("7", fromTask.Values["Value"]);
        Assert.Equal(task, fromTask.Values["task"]);
        Assert.Equal("TaskLogFunctions.SquareAndLog", fromTask.Values["function"]);
        Assert.Equal(plexus.Job.ToString(), fromTask.Values["job"]);
        var pid = int.Parse(fromTask.Values["pid"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(pid, plexus.WorkerProcessIds);
        // Below the default level (Information): neither sent nor written.
        Assert.DoesNotContain(log.Entries, e => e.Message.StartsWith("Detail of", StringComparison.Ordinal));

        var fromActor = await Eventually.ValueAsync(() => log.Entries.FirstOrDefault(e => e.Message == "Adding 5 to 0"), e => e is not null, "the actor's entry reaches the driver");
        Assert.Equal(actor.Id.ToString(), fromActor!.Values["actor"]);
        Assert.Equal(added.Id.Task.ToString(), fromActor.Values["task"]);
        Assert.Equal(LogLevel.Warning, fromActor.Level);

        var file = Path.Combine(logDirectory.Path, $"worker-{pid}.log");
        var line = await Eventually.ValueAsync(
            () => File.Exists(file) ? File.ReadAllLines(file).FirstOrDefault(l => l.Contains("Squaring 7", StringComparison.Ordinal)) : null,
            l => l is not null, "the worker's log file has the task's entry");
        var written = JsonDocument.Parse(line!).RootElement;
        Assert.Equal(task, written.GetProperty("task").GetString());
        Assert.Equal("7", written.GetProperty("Value").GetString());
        Assert.Equal("Information", written.GetProperty("level").GetString());
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), written.GetProperty("pid").GetString());
        Assert.DoesNotContain(File.ReadAllLines(file), l => l.Contains("Detail of", StringComparison.Ordinal));
    }
}

/// <summary>A task that logs through its Plexus logger.</summary>
public static class TaskLogFunctions
{
    public static int SquareAndLog(int value)
    {
        var logger = PlexusRuntime.Current.LoggerFactory.CreateLogger(typeof(TaskLogFunctions).FullName!);
        logger.LogDebug("Detail of {Value}", value);
        logger.LogInformation("Squaring {Value}", value);
        return value * value;
    }
}

/// <summary>An actor whose method logs through its Plexus logger.</summary>
public sealed class LoggingCounter
{
    private int _value;

    public int Add(int amount)
    {
        PlexusRuntime.Current.Logger.LogWarning("Adding {Amount} to {Value}", amount, _value);
        return _value += amount;
    }
}
