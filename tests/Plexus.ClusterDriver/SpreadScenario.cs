namespace Plexus.ClusterDriver;

/// <summary>
/// <c>spread N</c>: N tasks of 300 ms each, which fill the driver's node and spill to the others;
/// then, at checkpoint "grow", the job keeps its CPUs busy with more such tasks while the test
/// adds a node; once it says go, batches of N more tasks until one runs on a node the first batch
/// did not use (20 batches at most). Prints the nodes that ran the tasks before and after:
/// <c>{"before": [...], "after": [...]}</c>.
/// </summary>
internal static class SpreadScenario
{
    private const int TaskMilliseconds = 300;
    private const int AfterBatches = 20;

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var count = int.Parse(context.Arguments[0], System.Globalization.CultureInfo.InvariantCulture);
        var before = await RunBatchAsync(plexus, count);

        using var growing = new CancellationTokenSource();
        var busy = KeepBusyAsync(plexus, count, growing.Token);
        await context.CheckpointAsync("grow");
        await growing.CancelAsync();
        await busy;

        // The driver's node learns of the new node with its next view of the cluster (a heartbeat
        // away) and links to it: batches run until one reaches a node the first did not, or a limit.
        var after = new List<string>();
        for (var batch = 0; batch < AfterBatches && after.All(before.Contains); batch++)
        {
            after.AddRange(await RunBatchAsync(plexus, count));
        }

        return new { Before = before, After = after };
    }

    private static async Task<string[]> RunBatchAsync(PlexusRuntime plexus, int count)
    {
        var tasks = Enumerable.Range(0, count).Select(_ => plexus.Task<int, string>(ClusterTasks.NodeAfter).Remote(TaskMilliseconds)).ToList();
        return await plexus.GetAsync(tasks);
    }

    // A long batch: the job runs work all the while the node joins.
    private static async Task KeepBusyAsync(PlexusRuntime plexus, int count, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await RunBatchAsync(plexus, count);
        }
    }
}
