namespace Plexus.ClusterDriver;

/// <summary>
/// <c>actor-failover NAME once|twice NODE</c>: a task near NODE makes a 1 MiB seed (stored there);
/// creates a named actor near NODE from the seed, asking the resource "phoenix" (which the head
/// does not offer), with one restart, retried calls and a checkpoint every 4 calls;
/// adds 1 five times, writes the node hosting it to "first.node" and its process id to "first.pid" in the shared directory, starts a
/// slow call (it writes "slow.started" and then waits until the file exists) and reaches checkpoint
/// <c>first</c>, at which the test kills that node. Then it awaits the slow call (sent again to the
/// restarted actor), adds 1, finds the actor by name and asks where it runs. With <c>twice</c> it
/// writes that node to "second.node", reaches checkpoint <c>second</c> (the test kills it too) and
/// calls once more, which fails: the restarts are used up. Prints every count, both nodes, how long
/// the first call after the kill took, the seed's sum as the restarted actor read it, and why the last call failed.
/// </summary>
internal static class ActorFailoverScenario
{
    /// <summary>The custom resource only the nodes that may host the actor offer.</summary>
    public const string Resource = "phoenix";

    private static readonly TimeSpan CallWait = TimeSpan.FromSeconds(120);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var near = SchedulingStrategy.NodeAffinity(context.Arguments[2], soft: true);
        // Kept by this driver: the restarted actor's constructor reads it again.
        using var seed = plexus.Task<int, byte[]>(MakeSeed).WithOptions(new TaskOptions { Strategy = near }).Remote(SeedBytes);
        var options = new ActorOptions
        {
            Name = context.Arguments[0], MaxRestarts = 1, MaxTaskRetries = -1, CheckpointEvery = 4,
            Resources = new Dictionary<string, double> { [Resource] = 1 }, Strategy = near,
        };
        using var counter = await plexus.Actor(() => new FailoverCounter(Arg.Of(seed))).WithOptions(options).RemoteAsync();
        for (var i = 0; i < 5; i++)
        {
            await counter.Call(c => c.Add(1)).GetAsync(CallWait);
        }

        var first = await counter.Call(c => c.Node()).GetAsync(CallWait);
        await SharedFiles.WriteAsync(Path.Combine(context.Directory, "first.pid"), $"{await counter.Call(c => c.ProcessId()).GetAsync(CallWait)}");
        await SharedFiles.WriteAsync(Path.Combine(context.Directory, "first.node"), first);
        var slow = counter.Call(c => c.AddOnceStarted(1, Path.Combine(context.Directory, "slow.started")));
        await context.CheckpointAsync("first");

        var killed = System.Diagnostics.Stopwatch.StartNew();
        var afterSlow = await slow.GetAsync(CallWait);
        var restartSeconds = killed.Elapsed.TotalSeconds;
        var afterAdd = await counter.Call(c => c.Add(1)).GetAsync(CallWait);
        using var found = await plexus.GetActorAsync<FailoverCounter>(context.Arguments[0]);
        var second = await found.Call(c => c.Node()).GetAsync(CallWait);
        var foundCount = await found.Call(c => c.Add(0)).GetAsync(CallWait);
        var seedSum = await found.Call(c => c.SeedSum()).GetAsync(CallWait);
        if (context.Arguments[1] != "twice")
        {
            return new
            {
                AfterSlow = afterSlow, AfterAdd = afterAdd, FoundCount = foundCount, SameActor = found.Id == counter.Id, First = first, Second = second,
                RestartSeconds = restartSeconds, SeedSum = seedSum, ExpectedSeedSum = ExpectedSeedSum,
            };
        }

        await SharedFiles.WriteAsync(Path.Combine(context.Directory, "second.node"), second);
        await context.CheckpointAsync("second");
        ActorDiedException? died = null;
        try
        {
            await counter.Call(c => c.Add(1)).GetAsync(CallWait);
        }
        catch (ActorDiedException e)
        {
            died = e;
        }

        return new
        {
            AfterSlow = afterSlow, AfterAdd = afterAdd, FoundCount = foundCount, SameActor = found.Id == counter.Id, First = first, Second = second,
            RestartSeconds = restartSeconds, SeedSum = seedSum, ExpectedSeedSum = ExpectedSeedSum, Died = died?.Message, Cause = died?.Cause.ToString(),
        };
    }

    private const int SeedBytes = 1 << 20;

    private static long ExpectedSeedSum => MakeSeed(SeedBytes).Sum(b => (long)b);

    /// <summary>A deterministic seed, past the size kept inline: it lives in the store of the node that made it.</summary>
    public static byte[] MakeSeed(int bytes) => [.. Enumerable.Range(0, bytes).Select(i => (byte)(i * 31 % 251))];
}

/// <summary>A counter whose count survives restarts through its checkpoints, and says which node hosts it and what seed it was built from.</summary>
public sealed class FailoverCounter(byte[] seed) : IActorCheckpoint<int>
{
    private int _count;

    public long SeedSum() => seed.Sum(b => (long)b);

    public int Add(int amount) => _count += amount;

    public string Node() => PlexusRuntime.Current.NodeId;

    public int ProcessId() => Environment.ProcessId;

    /// <summary>
    /// The first time (no <paramref name="marker"/> yet): writes it and never returns (its node is
    /// killed meanwhile). Sent again to the restarted actor, it finds the marker and adds at once.
    /// </summary>
    public int AddOnceStarted(int amount, string marker)
    {
        if (!File.Exists(marker))
        {
            SharedFiles.Write(marker, PlexusRuntime.Current.NodeId);
            Thread.Sleep(Timeout.Infinite);
        }

        return _count += amount;
    }

    public int SaveCheckpoint() => _count;

    public void RestoreCheckpoint(int state) => _count = state;
}
