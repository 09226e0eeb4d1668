namespace Plexus.ClusterDriver;

/// <summary>
/// <c>resources NODE2 UNKNOWN</c>: tasks asking {"ssd": 1}, tasks bound to NODE2, a task bound to
/// the unknown node UNKNOWN, then a task asking {"gpu-x": 1}, awaited until a node offering it
/// runs it. Prints the nodes that ran each, and what the unknown node's task threw.
/// </summary>
internal static class ResourcesScenario
{
    private const int Tasks = 6;

    // Long enough for the test to see the task infeasible and add a node that can run it.
    private static readonly TimeSpan InfeasibleWait = TimeSpan.FromMinutes(3);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var (node2, unknown) = (context.Arguments[0], context.Arguments[1]);

        var ssd = await RunAsync(plexus, new TaskOptions { Resources = new Dictionary<string, double> { ["ssd"] = 1 } });
        var affine = await RunAsync(plexus, Scenarios.On(node2));
        var unknownNode = await Failure.OfAsync(async () => await plexus.Task<int, string>(ClusterTasks.NodeAfter).WithOptions(Scenarios.On(unknown)).Remote(0));
        var gpu = await plexus.Task<int, string>(ClusterTasks.NodeAfter)
            .WithOptions(new TaskOptions { Resources = new Dictionary<string, double> { ["gpu-x"] = 1 } })
            .Remote(0)
            .GetAsync(InfeasibleWait);
        return new { Ssd = ssd, Affine = affine, UnknownNode = unknownNode, Gpu = gpu };
    }

    private static async Task<string[]> RunAsync(PlexusRuntime plexus, TaskOptions options) =>
        await plexus.GetAsync(Enumerable.Range(0, Tasks).Select(_ => plexus.Task<int, string>(ClusterTasks.NodeAfter).WithOptions(options).Remote(100)).ToList());
}
