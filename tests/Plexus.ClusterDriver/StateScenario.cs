namespace Plexus.ClusterDriver;

/// <summary>
/// <c>state</c>: work for the state API to show. Eight squares spread over the nodes (finished),
/// a task that throws (failed), a named actor called once, then a task that holds until the test
/// writes <c>release</c> in the shared directory (running) and one asking for a resource no node
/// offers (infeasible, never awaited). At checkpoint <c>observed</c> all of that is so while the
/// test lists it; then the held task is released and awaited.
/// </summary>
internal static class StateScenario
{
    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var spread = new TaskOptions { Strategy = SchedulingStrategy.Spread };
        var squares = await plexus.GetAsync(Enumerable.Range(0, 8).Select(i => plexus.Task<long, long>(ClusterTasks.Square).WithOptions(spread).Remote(i)).ToList());
        var failed = await Failure.OfAsync(async () => await plexus.Task<int>(Fail).Remote());
        var counter = plexus.Actor(() => new Counter()).WithOptions(new ActorOptions { Name = "state-counter" }).Remote();
        var count = await counter.Call(c => c.Add(2));

        var runs = Path.Combine(context.Directory, "runs");
        var held = plexus.Task<string, string, string>(ClusterTasks.NoteThenHold).Remote(runs, Path.Combine(context.Directory, "release"));
        _ = plexus.Task<int, string>(ClusterTasks.NodeAfter).WithOptions(new TaskOptions { Resources = new Dictionary<string, double> { ["gpu-x"] = 1 } }).Remote(0);
        while (!File.Exists(runs))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        await context.CheckpointAsync("observed");
        // The actor lives while its handle is used: it is called once more after the test looked.
        return new { Squares = squares.Sum(), Failed = failed, Count = await counter.Call(c => c.Add(count)), Held = await held };
    }

    /// <summary>Fails on purpose, with a message of two lines (a listing shows the first).</summary>
    public static int Fail() => throw new InvalidOperationException("the state scenario fails on purpose\nsecond line");
}
