namespace Plexus.ClusterDriver;

/// <summary>
/// <c>metrics HEAD NODE2</c>: tasks bound to each node, calls to an actor, and an array made on
/// NODE2 that the driver (on the head) reads, so the head copies it. At checkpoint "holding" the
/// job holds the array while the test scrapes both nodes' metrics. Prints how many tasks ran on
/// each node and how many calls were made.
/// </summary>
internal static class MetricsScenario
{
    private const int TasksPerNode = 10;
    private const int Calls = 10;
    private const int ArrayBytes = 8 << 20;

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var (head, node2) = (context.Arguments[0], context.Arguments[1]);
        var square = plexus.Task<long, long>(ClusterTasks.Square);
        var tasks = new[] { head, node2 }.SelectMany(node => Enumerable.Range(0, TasksPerNode).Select(i => square.WithOptions(Scenarios.On(node)).Remote(i))).ToList();
        await plexus.GetAsync(tasks);

        using var counter = plexus.Actor(() => new Counter()).Remote();
        for (var i = 0; i < Calls; i++)
        {
            using var call = counter.Call(c => c.Add(1));
            await call;
        }

        using var array = plexus.Task<int, int, byte[]>(ClusterTasks.Bytes).WithOptions(Scenarios.On(node2)).Remote(ArrayBytes, 3);
        var read = await array;
        await context.CheckpointAsync("holding");
        PlexusRuntime.Free([.. tasks]);
        return new { TasksPerNode, Calls, ArrayBytes = read.Length };
    }
}
