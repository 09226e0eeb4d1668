namespace Plexus.ClusterDriver;

/// <summary>
/// <c>partition VICTIM</c>: a task bound to VICTIM (no retries) writes its worker's process id to
/// the file "worker.pid" in the shared directory and sleeps; at checkpoint "healed" the test has
/// cut VICTIM off and reconnected it. Prints what awaiting the task threw.
/// </summary>
internal static class PartitionScenario
{
    // Beyond this the driver reports a hang instead of waiting for ever.
    private static readonly TimeSpan TaskWait = TimeSpan.FromSeconds(30);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var options = Scenarios.On(context.Arguments[0]) with { MaxRetries = 0 };
        var sleeper = plexus.Task<string, int, int>(ClusterTasks.WritePidThenSleep).WithOptions(options).Remote(Path.Combine(context.Directory, "worker.pid"), 600);
        await context.CheckpointAsync("healed");
        return new { Task = await Failure.OfAsync(async () => await sleeper.GetAsync(TaskWait)) };
    }
}
