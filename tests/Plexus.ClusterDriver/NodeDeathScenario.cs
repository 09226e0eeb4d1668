namespace Plexus.ClusterDriver;

/// <summary>
/// <c>node-death VICTIM</c>: a task bound to VICTIM makes an object stored only there; a second
/// one, bound there too, writes the file "started" in the shared directory and sleeps for long
/// (the test then kills VICTIM). Prints what awaiting that task threw, and what reading the object threw.
/// </summary>
internal static class NodeDeathScenario
{
    // Beyond these the driver reports a hang instead of waiting for ever.
    private static readonly TimeSpan TaskWait = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(30);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var victim = context.Arguments[0];
        var startedFile = Path.Combine(context.Directory, "started");
        var onVictim = Scenarios.On(victim);

        using var stored = plexus.Task<int, int, byte[]>(ClusterTasks.Bytes).WithOptions(onVictim).Remote(4 << 20, 3);
        var (ready, _) = await plexus.WaitAsync([stored], count: 1, timeout: TaskWait);
        var sleeper = plexus.Task<string, int, string>(ClusterTasks.SignalThenSleep).WithOptions(onVictim).Remote(startedFile, 600);

        return new
        {
            StoredBeforeDeath = ready.Count == 1,
            Task = await Failure.OfAsync(async () => await sleeper.GetAsync(TaskWait)),
            Read = await Failure.OfAsync(async () => await stored.GetAsync(ReadWait)),
        };
    }
}
