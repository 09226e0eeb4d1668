namespace Plexus.ClusterDriver;

/// <summary>
/// <c>partition VICTIM</c>: a task bound to VICTIM (no retries) writes its worker's process id to
/// the file "worker.pid" in the shared directory and sleeps, and an actor asking the resource
/// "partitioned" only VICTIM offers appends its process id as a line of
/// "actor.lines" every 100 ms; at checkpoint "healed" the test has cut VICTIM off and reconnected
/// it. Prints what awaiting the task threw.
/// </summary>
internal static class PartitionScenario
{
    /// <summary>The custom resource only the node to be cut off offers.</summary>
    public const string Resource = "partitioned";

    // Beyond this the driver reports a hang instead of waiting for ever.
    private static readonly TimeSpan TaskWait = TimeSpan.FromSeconds(30);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var options = Scenarios.On(context.Arguments[0]) with { MaxRetries = 0 };
        var sleeper = plexus.Task<string, int, int>(ClusterTasks.WritePidThenSleep).WithOptions(options).Remote(Path.Combine(context.Directory, "worker.pid"), 600);
        var appender = plexus.Actor(() => new Appender())
            .WithOptions(new ActorOptions { Resources = new Dictionary<string, double> { [Resource] = 1 } }).Remote();
        await appender.Call(a => a.Start(Path.Combine(context.Directory, "actor.lines")));
        await context.CheckpointAsync("healed");
        return new { Task = await Failure.OfAsync(async () => await sleeper.GetAsync(TaskWait)) };
    }
}

/// <summary>An actor that appends its process id as a line of a file every 100 ms, for as long as its process lives.</summary>
public sealed class Appender
{
    private Timer? _timer;

    public int ProcessId() => Environment.ProcessId;

    public int Start(string file)
    {
        _timer = new Timer(_ => File.AppendAllLines(file, [Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        return Environment.ProcessId;
    }
}
