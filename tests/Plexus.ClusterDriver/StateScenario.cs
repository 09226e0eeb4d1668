namespace Plexus.ClusterDriver;

/// <summary>
/// <c>state</c>: work for the state API to show. Eight squares spread over the nodes (finished),
/// a task that throws (failed), a named actor called once, then a task that holds until the test
/// writes <c>release</c> in the shared directory (running), one taking the held task's result
/// (pending its argument), one asking for a resource no node offers (infeasible, never awaited),
/// a 300 000-byte array made by a task and kept (in a store), and two small values the driver holds
/// in its own memory: a 40 000-byte put and a 20 000-byte task return. At checkpoint <c>observed</c> all
/// of that is so while the test lists it; then the held task is released and awaited.
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
        var block = plexus.Task<int, int, byte[]>(ClusterTasks.Bytes).Remote(300_000, 1);
        var blockLength = (await block).Length;
        var smallPut = plexus.Put(new byte[40_000]);
        var smallReturn = plexus.Task<int, int, byte[]>(ClusterTasks.Bytes).Remote(20_000, 2);
        await smallReturn;
        var held = plexus.Task<string, string, string>(ClusterTasks.NoteThenHold).Remote(runs, Path.Combine(context.Directory, "release"));
        var afterHeld = plexus.Task<string, int>(ClusterTasks.Length).WithOptions(new TaskOptions { Name = "state-after-held" }).Remote(held);
        _ = plexus.Task<int, string>(ClusterTasks.NodeAfter).WithOptions(new TaskOptions { Resources = new Dictionary<string, double> { ["gpu-x"] = 1 } }).Remote(0);
        while (!File.Exists(runs))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        await context.CheckpointAsync("observed");
        // The actor lives while its handle is used: it is called once more after the test looked.
        var result = new { Squares = squares.Sum(), Failed = failed, Count = await counter.Call(c => c.Add(count)), Held = await held, AfterHeld = await afterHeld, Block = blockLength };
        // The array stays in its store, and the small values in the driver, until the test has looked.
        GC.KeepAlive(block);
        GC.KeepAlive(smallPut);
        GC.KeepAlive(smallReturn);
        return result;
    }

    /// <summary>Fails on purpose, with a message of two lines (a listing shows the first).</summary>
    public static int Fail() => throw new InvalidOperationException("the state scenario fails on purpose\nsecond line");
}
