namespace Plexus.ClusterDriver;

/// <summary>
/// <c>fenced-driver</c>, for a driver on a host with no node (so it runs a node of its own) or one
/// attached to a node: runs a task, then at checkpoint "cut" the test cuts the host off until the
/// cluster declares the driver's node dead, and reconnects it. The driver then puts a small object
/// every 100 ms until that throws (a minute at most), and prints what it threw (null if nothing did).
/// </summary>
internal static class FencedDriverScenario
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        await plexus.Task<long, long>(ClusterTasks.Square).Remote(3);
        await context.CheckpointAsync("cut");
        var deadline = DateTime.UtcNow + Patience;
        Failure? failure = null;
        while (failure is null && DateTime.UtcNow < deadline)
        {
            failure = await Failure.OfAsync(() =>
            {
                using var put = plexus.Put(1);
                return Task.CompletedTask;
            });
            await Task.Delay(Poll);
        }

        return new { Failure = failure };
    }
}
