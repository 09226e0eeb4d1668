namespace Plexus.ClusterDriver;

/// <summary>
/// <c>cancel NODE</c>: two tasks bound to NODE (so forwarded there by the driver's node), each
/// cancelled once it runs: one that observes its token, cancelled plainly; one that ignores it,
/// cancelled with force. Prints what awaiting each threw, and the node each ran on.
/// <c>cancel-lost-node NODE</c>: a task that ignores its token, placed on NODE by soft affinity (so
/// it could run again elsewhere), is cancelled plainly once it runs; at checkpoint "cancelled" the
/// test kills NODE. Prints what awaiting the task threw (null if it ran again and returned).
/// </summary>
internal static class CancelScenario
{
    // Beyond these the driver reports a hang instead of waiting for ever.
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan TaskWait = TimeSpan.FromSeconds(90);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var onNode = Scenarios.On(context.Arguments[0]);
        var cooperativeStarted = Path.Combine(context.Directory, "cooperative.started");
        var forcedStarted = Path.Combine(context.Directory, "forced.started");

        var cooperative = plexus.Task<string, CancellationToken, string>(WaitForCancelAsync).WithOptions(onNode).Remote(cooperativeStarted, CancellationToken.None);
        await WaitForFileAsync(cooperativeStarted);
        plexus.Cancel(cooperative);
        var cooperativeFailure = await Failure.OfAsync(async () => await cooperative.GetAsync(TaskWait));

        var forced = plexus.Task<string, int, string>(ClusterTasks.SignalThenSleep).WithOptions(onNode).Remote(forcedStarted, 600);
        await WaitForFileAsync(forcedStarted);
        plexus.Cancel(forced, force: true);
        var forcedFailure = await Failure.OfAsync(async () => await forced.GetAsync(TaskWait));

        return new
        {
            Cooperative = cooperativeFailure,
            CooperativeNode = await File.ReadAllTextAsync(cooperativeStarted),
            Forced = forcedFailure,
            ForcedNode = await File.ReadAllTextAsync(forcedStarted),
        };
    }

    public static async Task<object> LostNodeAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var started = Path.Combine(context.Directory, "started");
        var options = new TaskOptions { Strategy = SchedulingStrategy.NodeAffinity(context.Arguments[0], soft: true) };
        // Long enough to be running when its node dies, short enough that running it again elsewhere ends well within TaskWait.
        var ignoring = plexus.Task<string, int, string>(ClusterTasks.SignalThenSleep).WithOptions(options).Remote(started, 15);
        await WaitForFileAsync(started);
        plexus.Cancel(ignoring);
        await context.CheckpointAsync("cancelled");
        return new { Task = await Failure.OfAsync(async () => await ignoring.GetAsync(TaskWait)) };
    }

    /// <summary>Writes its node's id to <paramref name="startedFile"/>, then waits (ten minutes at most) for its token.</summary>
    public static async Task<string> WaitForCancelAsync(string startedFile, CancellationToken token)
    {
        await SharedFiles.WriteAsync(startedFile, PlexusRuntime.Current.NodeId, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMinutes(10), token);
        return PlexusRuntime.Current.NodeId;
    }

    private static async Task WaitForFileAsync(string path)
    {
        var deadline = DateTime.UtcNow + StartWait;
        while (!File.Exists(path))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The task did not write {path} within {StartWait}.");
            }

            await Task.Delay(50);
        }
    }
}
