namespace Plexus.ClusterDriver;

/// <summary>
/// <c>remote-driver NODE2 N</c>, for a driver on a machine where no node of the cluster runs: the
/// sum of the squares of 1..N, one task each (an exact answer the test knows); 8 tasks and 2 actors
/// placed with <c>Spread</c> and one actor placed by default; an 8 MiB object the driver puts, read
/// and hashed by a task bound to NODE2; and a 6 MiB array a task on NODE2 makes, read back by the
/// driver. At checkpoint "ran" it holds all of it while the test looks at the cluster. Prints the
/// driver's node, where each piece of work ran, and whether each content matched.
/// </summary>
internal static class RemoteDriverScenario
{
    private const int PutBytes = 8 << 20;
    private const int ResultBytes = 6 << 20;
    private const int SpreadTasks = 8;

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var node2 = context.Arguments[0];
        var count = int.Parse(context.Arguments[1], System.Globalization.CultureInfo.InvariantCulture);
        var spread = new TaskOptions { Strategy = SchedulingStrategy.Spread };

        var squares = Enumerable.Range(1, count).Select(i => plexus.Task<long, Square>(ClusterTasks.SquareWhere).Remote(i)).ToList();
        var spreadTasks = Enumerable.Range(0, SpreadTasks).Select(_ => plexus.Task<int, string>(ClusterTasks.NodeAfter).WithOptions(spread).Remote(50)).ToList();
        var actors = new[]
        {
            plexus.Actor(() => new Counter()).Remote(),
            plexus.Actor(() => new Counter()).WithOptions(new ActorOptions { Strategy = SchedulingStrategy.Spread }).Remote(),
            plexus.Actor(() => new Counter()).WithOptions(new ActorOptions { Strategy = SchedulingStrategy.Spread }).Remote(),
        };
        var put = plexus.Put(ClusterTasks.Bytes(PutBytes, 3));
        var putRead = plexus.Task<byte[], Digest>(ClusterTasks.DigestHere).WithOptions(Scenarios.On(node2)).Remote(put);
        var made = plexus.Task<int, int, byte[]>(ClusterTasks.Bytes).WithOptions(Scenarios.On(node2)).Remote(ResultBytes, 4);

        var squared = await plexus.GetAsync(squares);
        var spreadNodes = await plexus.GetAsync(spreadTasks);
        var actorNodes = await plexus.GetAsync(actors.Select(a => a.Call(c => c.Node())).ToList());
        var putDigest = await putRead;
        var madeBytes = await made;

        await context.CheckpointAsync("ran");
        return new
        {
            DriverNode = plexus.NodeId,
            Sum = squared.Sum(s => s.Value),
            SquareNodes = squared.Select(s => s.NodeId).Distinct().ToArray(),
            SpreadNodes = spreadNodes,
            ActorNodes = actorNodes,
            PutReaderNode = putDigest.NodeId,
            PutContentMatches = putDigest.Sha256 == ClusterTasks.Sha256(ClusterTasks.Bytes(PutBytes, 3)),
            ResultContentMatches = ClusterTasks.Sha256(madeBytes) == ClusterTasks.Sha256(ClusterTasks.Bytes(ResultBytes, 4)),
        };
    }
}
