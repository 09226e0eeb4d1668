using System.Diagnostics;

namespace Plexus.ClusterDriver;

/// <summary>
/// Objects whose only copy was on a node the test kills (at checkpoint "kill"), made again by
/// their owner, this driver, from their lineage: or failing, saying why, when they cannot be.
/// </summary>
internal static class ReconstructionScenarios
{
    private const int ChainLength = 20;
    private const int ChainValueBytes = 1 << 20;
    private const int BigObjectBytes = 1 << 30;
    private const int CopiedObjectBytes = 64 << 20;
    private const int Seed = 17;

    // Beyond this the driver reports a hang instead of waiting for ever.
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(4);

    /// <summary>
    /// <c>chain VICTIM</c>: a chain of 20 dependent tasks, each making a 1 MiB stored value from the
    /// one before (soft affinity to VICTIM, each value's handle dropped once the next task is
    /// submitted), runs once without a failure, then once more with VICTIM killed half-way. Prints
    /// the SHA-256 of each run's last value, the expected one (computed here), and each run's duration.
    /// </summary>
    public static async Task<object> ChainAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var options = SoftlyOn(context.Arguments[0]);
        var expected = ClusterTasks.Sha256(Enumerable.Range(1, ChainLength - 1).Aggregate(ClusterTasks.Bytes(ChainValueBytes, Seed), ChainStep));

        var clean = Stopwatch.StartNew();
        var cleanDigest = await RunChainAsync(plexus, options, halfway: null);
        clean.Stop();
        var killed = Stopwatch.StartNew();
        var killedDigest = await RunChainAsync(plexus, options, halfway: () => context.CheckpointAsync("kill"));
        killed.Stop();

        return new { Expected = expected, CleanDigest = cleanDigest, KilledDigest = killedDigest, CleanMs = clean.ElapsedMilliseconds, KilledMs = killed.ElapsedMilliseconds };
    }

    /// <summary>
    /// <c>big VICTIM SURVIVOR</c>: a task on VICTIM (soft affinity) makes a 1 GiB object; once VICTIM
    /// is killed, a task bound to SURVIVOR reads it and returns its SHA-256. Prints that digest, the
    /// node that computed it, and the expected one (computed here).
    /// </summary>
    public static async Task<object> BigObjectAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        using var made = plexus.Task<int, int, byte[]>(ClusterTasks.Bytes).WithOptions(SoftlyOn(context.Arguments[0])).Remote(BigObjectBytes, Seed);
        var (ready, _) = await plexus.WaitAsync([made], count: 1, timeout: Wait);
        await context.CheckpointAsync("kill");

        var digest = await plexus.Task<byte[], Digest>(ClusterTasks.DigestHere).WithOptions(Scenarios.On(context.Arguments[1])).Remote(made).GetAsync(Wait);
        return new { MadeBeforeKill = ready.Count == 1, Expected = ClusterTasks.Sha256(ClusterTasks.Bytes(BigObjectBytes, Seed)), digest.Sha256, digest.NodeId };
    }

    /// <summary>
    /// <c>reasons VICTIM</c>, run with a lineage budget of three records: four tasks on VICTIM each
    /// make a 1 MiB object, oldest first: one whose lineage the budget then drops, one that can be
    /// made again, one with <c>MaxRetries = 0</c>, one bound to VICTIM (hard affinity). Once VICTIM is
    /// killed, prints what reading each gave (the second: whether its content is right).
    /// </summary>
    public static async Task<object> ReasonsAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var victim = context.Arguments[0];
        var soft = SoftlyOn(victim);
        using var evicted = MakeOn(plexus, soft, seed: 1);
        using var remade = MakeOn(plexus, soft, seed: 2);
        using var outOfRetries = MakeOn(plexus, soft with { MaxRetries = 0 }, seed: 3);
        using var bound = MakeOn(plexus, Scenarios.On(victim), seed: 4);
        var (ready, _) = await plexus.WaitAsync([evicted, remade, outOfRetries, bound], count: 4, timeout: Wait);
        await context.CheckpointAsync("kill");

        return new
        {
            MadeBeforeKill = ready.Count == 4,
            Evicted = await Failure.OfAsync(async () => await evicted.GetAsync(Wait)),
            RemadeRight = ClusterTasks.Sha256(await remade.GetAsync(Wait)) == ClusterTasks.Sha256(ClusterTasks.Bytes(ChainValueBytes, 2)),
            OutOfRetries = await Failure.OfAsync(async () => await outOfRetries.GetAsync(Wait)),
            Bound = await Failure.OfAsync(async () => await bound.GetAsync(Wait)),
        };
    }

    /// <summary>
    /// <c>copy VICTIM READER</c>: a task on VICTIM (soft affinity) makes a 64 MiB object, noting each
    /// run in the file "runs" of the shared directory; a task bound to READER reads it (so READER
    /// holds a copy); once VICTIM is killed, the driver reads it. Prints whether the bytes are right
    /// and how many times the object was made.
    /// </summary>
    public static async Task<object> CopyUsedAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var runs = Path.Combine(context.Directory, "runs");
        using var made = plexus.Task<string, int, int, byte[]>(NotedBytes).WithOptions(SoftlyOn(context.Arguments[0])).Remote(runs, CopiedObjectBytes, Seed);
        var read = await plexus.Task<byte[], Digest>(ClusterTasks.DigestHere).WithOptions(Scenarios.On(context.Arguments[1])).Remote(made).GetAsync(Wait);
        await context.CheckpointAsync("kill");

        var bytes = await made.GetAsync(Wait);
        return new
        {
            ReadOnReader = read.NodeId == context.Arguments[1],
            Right = ClusterTasks.Sha256(bytes) == ClusterTasks.Sha256(ClusterTasks.Bytes(CopiedObjectBytes, Seed)),
            Runs = File.ReadAllLines(runs).Length,
        };
    }

    /// <summary><see cref="ClusterTasks.Bytes"/>, noting the run as a line of <paramref name="runsFile"/>.</summary>
    public static byte[] NotedBytes(string runsFile, int length, int seed)
    {
        File.AppendAllLines(runsFile, [PlexusRuntime.Current.NodeId]);
        return ClusterTasks.Bytes(length, seed);
    }

    /// <summary>The next value of the chain: every byte mixed with the step and its place.</summary>
    public static byte[] ChainStep(byte[] previous, int step)
    {
        var next = new byte[previous.Length];
        for (var i = 0; i < next.Length; i++)
        {
            next[i] = (byte)((previous[i] * 31) + step + i);
        }

        return next;
    }

    private static async Task<string> RunChainAsync(PlexusRuntime plexus, TaskOptions options, Func<Task>? halfway)
    {
        var current = plexus.Task<int, int, byte[]>(ClusterTasks.Bytes).WithOptions(options).Remote(ChainValueBytes, Seed);
        for (var step = 1; step < ChainLength; step++)
        {
            if (step == ChainLength / 2 && halfway is not null)
            {
                await plexus.WaitAsync([current], count: 1, timeout: Wait);
                await halfway();
            }

            var previous = current;
            current = plexus.Task<byte[], int, byte[]>(ChainStep).WithOptions(options).Remote(previous, step);
            previous.Dispose();
        }

        using (current)
        {
            return ClusterTasks.Sha256(await current.GetAsync(Wait));
        }
    }

    private static ObjectRef<byte[]> MakeOn(PlexusRuntime plexus, TaskOptions options, int seed) =>
        plexus.Task<int, int, byte[]>(ClusterTasks.Bytes).WithOptions(options).Remote(ChainValueBytes, seed);

    private static TaskOptions SoftlyOn(string node) => new() { Strategy = SchedulingStrategy.NodeAffinity(node, soft: true) };
}
