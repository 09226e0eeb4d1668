namespace Plexus.ClusterDriver;

/// <summary>
/// Scenarios about resources held while work runs. <c>exclusive N</c>: N tasks asking {"ssd": 1}
/// and half a CPU (so that CPUs alone would let two share one worker) at once, each reporting
/// its node and when it started and ended. <c>held-actor</c>: an actor
/// asking {"gpu-x": 1}, called at once, the call awaited until a node offering it hosts the actor;
/// prints that node. <c>concurrent N</c>: a first task (the job's workers start), then checkpoint
/// "go", then N tasks at once, each reporting when it started and ended.
/// </summary>
internal static class ResourceUseScenario
{
    private const int TaskMilliseconds = 600;

    /// <summary>How long a call to a held actor is awaited: long enough for the test to see the actor held and add a node that can host it.</summary>
    internal static readonly TimeSpan HeldWait = TimeSpan.FromMinutes(3);

    public static async Task<object> ExclusiveAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var ssd = new TaskOptions { Cpus = 0.5, Resources = new Dictionary<string, double> { ["ssd"] = 1 } };
        return await RunTimedAsync(plexus, Count(context), ssd);
    }

    public static async Task<object> HeldActorAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var counter = plexus.Actor(() => new Counter())
            .WithOptions(new ActorOptions { Resources = new Dictionary<string, double> { ["gpu-x"] = 1 } })
            .Remote();
        var added = counter.Call(c => c.Add(2));
        var node = await counter.Call(c => c.Node()).GetAsync(HeldWait);
        return new { Node = node, Count = await added };
    }

    public static async Task<object> ConcurrentAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        await plexus.Task<int, Interval>(ClusterTasks.Timed).Remote(0);
        await context.CheckpointAsync("go");
        return await RunTimedAsync(plexus, Count(context), TaskOptions.Default);
    }

    private static async Task<Interval[]> RunTimedAsync(PlexusRuntime plexus, int count, TaskOptions options) =>
        await plexus.GetAsync(Enumerable.Range(0, count).Select(_ => plexus.Task<int, Interval>(ClusterTasks.Timed).WithOptions(options).Remote(TaskMilliseconds)).ToList());

    private static int Count(ScenarioContext context) => int.Parse(context.Arguments[0], System.Globalization.CultureInfo.InvariantCulture);
}
