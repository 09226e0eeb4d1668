using Plexus.Benchmarks.Micro;

namespace Plexus.Benchmarks.Cluster;

/// <summary>
/// Tasks and actor calls that cross nodes, in rounds of 1,000 submitted then awaited (as the micro
/// suite's async figures), each against the same work kept on the driver's own node.
/// </summary>
internal static class CrossNodeFigures
{
    private const int Batch = 1_000;
    private static readonly TimeSpan ActorPatience = TimeSpan.FromSeconds(60);

    /// <summary>No-op tasks pinned to node <paramref name="node"/>: tasks per second.</summary>
    public static async Task<double> TasksAsync(PlexusRuntime plexus, string node)
    {
        var noOp = plexus.Task<int>(NoOpTasks.Run).WithOptions(ClusterNodes.PinnedTo(node));
        async Task<long> Round() => await AwaitAllAsync(Enumerable.Range(0, Batch).Select(_ => noOp.Remote()).ToArray());
        await Measure.WarmUpAsync(Round);
        return await Measure.RateAsync(Round);
    }

    /// <summary>
    /// Calls of an empty method of an actor created by a task pinned to node <paramref name="node"/>
    /// (so it lives there), from the driver: calls per second. Throws <see cref="TimeoutException"/>
    /// when a round does not finish in a minute (calls that never arrive).
    /// </summary>
    public static async Task<double> ActorCallsAsync(PlexusRuntime plexus, string node)
    {
        using var created = plexus.Task<ActorHandle<EchoActor>>(ClusterTasks.CreateActorHere).WithOptions(ClusterNodes.PinnedTo(node)).Remote();
        var actor = await created.GetAsync(ActorPatience);
        try
        {
            async Task<long> Round() =>
                await AwaitAllAsync(Enumerable.Range(0, Batch).Select(_ => actor.Call(a => a.Ping())).ToArray()).WaitAsync(ActorPatience);
            await Measure.WarmUpAsync(Round);
            return await Measure.RateAsync(Round);
        }
        finally
        {
            actor.Kill();
        }
    }

    private static async Task<long> AwaitAllAsync(ObjectRef<int>[] refs)
    {
        foreach (var reference in refs)
        {
            await reference;
            reference.Dispose();
        }

        return refs.Length;
    }
}
