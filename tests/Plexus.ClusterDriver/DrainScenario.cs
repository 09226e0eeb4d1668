namespace Plexus.ClusterDriver;

/// <summary>
/// <c>drain NODE</c>: a task bound softly to NODE notes each start in the file "runs" and holds
/// until the test writes "release"; at the checkpoint "draining" (the test has asked NODE to
/// stop) four more tasks are spread over the cluster, and once they are done the checkpoint "spread"
/// lets the test look before it releases the held task. Prints where each ran and how often the
/// held task started.
/// </summary>
internal static class DrainScenario
{
    private const int SpreadTasks = 4;
    private static readonly TimeSpan TaskWait = TimeSpan.FromMinutes(3);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var node = context.Arguments[0];
        var runs = Path.Combine(context.Directory, "runs");
        var release = Path.Combine(context.Directory, "release");
        using var held = plexus.Task<string, string, string>(ClusterTasks.NoteThenHold)
            .WithOptions(new TaskOptions { Strategy = SchedulingStrategy.NodeAffinity(node, soft: true) }).Remote(runs, release);

        await context.CheckpointAsync("draining");
        var spread = plexus.Task<int, string>(ClusterTasks.NodeAfter).WithOptions(new TaskOptions { Strategy = SchedulingStrategy.Spread });
        var after = Enumerable.Range(0, SpreadTasks).Select(_ => spread.Remote(100)).ToList();
        var spreadNodes = await plexus.GetAsync(after, TaskWait);
        after.ForEach(r => r.Dispose());
        await context.CheckpointAsync("spread");

        return new
        {
            HeldNode = await held.GetAsync(TaskWait),
            HeldStarts = File.ReadAllLines(runs).Length,
            SpreadNodes = spreadNodes,
        };
    }
}
