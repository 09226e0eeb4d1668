using System.Diagnostics;
using System.Text.Json;

namespace Plexus.Benchmarks.Cluster;

/// <summary>
/// The cluster suite's driver (the hidden <c>cluster-driver</c> command): run by the suite on
/// node 1's host with PLEXUS_ADDRESS, it joins the cluster, measures the figures that need a
/// runtime, prints progress to stderr and one JSON object of name → number to stdout.
/// </summary>
internal static class ClusterDriver
{
    public const string TransferGigabytes = "transfer_gigabytes";
    public const string FirstTransferGigabytes = "transfer_first_gigabytes";
    public const string BroadcastSeconds = "broadcast_1gib_seconds";
    public const string BroadcastSourceBytesRatio = "broadcast_source_bytes_ratio";
    public const string CrossNodeTasks = "cross_node_tasks_async";
    public const string SingleNodeTasks = "single_node_tasks_async";
    public const string CrossNodeActorCalls = "cross_node_actor_calls_async";
    public const string SingleNodeActorCalls = "single_node_actor_calls_async";
    public const string ControlCallsPerThousandTasks = "control_rpcs_per_1k_tasks";

    private static readonly TimeSpan WarmUpPatience = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(IReadOnlyList<string> nodeIds)
    {
        var nodes = new ClusterNodes(nodeIds);
        var figures = new Dictionary<string, double>();
        await using var plexus = await PlexusRuntime.StartAsync();
        await using var control = ClusterControl.FromEnvironment();
        if (plexus.NodeId != nodes.Local)
        {
            throw new InvalidOperationException($"The driver joined node {plexus.NodeId}, not node 1 ({nodes.Local}): it must run on node 1's host.");
        }

        await TimedAsync("warm-up (workers start on every node)", () => WarmUpAsync(plexus, nodes));
        await TimedAsync("warm-up (pulls onto every other node)", () => TransferFigures.WarmUpAsync(plexus, nodes));
        var data = new byte[TransferFigures.ObjectBytes];
        var transfers = await TimedAsync(TransferGigabytes, () => TransferFigures.TransferGigabytesAsync(plexus, nodes, data));
        figures[TransferGigabytes] = transfers.Order().ElementAt(transfers.Count / 2);
        figures[FirstTransferGigabytes] = transfers[0];
        var (seconds, ratio) = await TimedAsync(BroadcastSeconds, () => TransferFigures.BroadcastAsync(plexus, control, nodes, data));
        figures[BroadcastSeconds] = seconds;
        figures[BroadcastSourceBytesRatio] = ratio;
        data = null; // the 1 GiB array lives in this method's state machine: let the collector have it

        figures[SingleNodeTasks] = await TimedAsync(SingleNodeTasks, () => CrossNodeFigures.TasksAsync(plexus, nodes.Local));
        figures[CrossNodeTasks] = await TimedAsync(CrossNodeTasks, () => CrossNodeFigures.TasksAsync(plexus, nodes.Remote));
        figures[SingleNodeActorCalls] = await TimedAsync(SingleNodeActorCalls, () => CrossNodeFigures.ActorCallsAsync(plexus, nodes.Local));
        try
        {
            figures[CrossNodeActorCalls] = await TimedAsync(CrossNodeActorCalls, () => CrossNodeFigures.ActorCallsAsync(plexus, nodes.Remote));
        }
        catch (Exception e) when (e is TimeoutException or ActorDiedException or TaskFailedException or ObjectLostException or NodeUnavailableException or RemoteErrorException)
        {
            // Reported and left out: the rest of the suite still measures.
            await Console.Error.WriteLineAsync($"{CrossNodeActorCalls}: not measured, the calls failed: {e.GetType().Name}: {e.Message}");
        }

        figures[ControlCallsPerThousandTasks] = await TimedAsync(ControlCallsPerThousandTasks, () => ControlCallFigure.PerThousandTasksAsync(plexus, control, nodes));
        Console.WriteLine(JsonSerializer.Serialize(figures));
        return 0;
    }

    // Every node starts the job's workers (fetching its package) on its first task, and a read of a
    // stored object there JITs the pull: both before anything is timed.
    private static async Task<int> WarmUpAsync(PlexusRuntime plexus, ClusterNodes nodes)
    {
        using var small = plexus.Put(new byte[8 << 20]);
        foreach (var node in nodes.Ids)
        {
            using var read = plexus.Task<ReadOnlyMemory<byte>, int>(ClusterTasks.Length).WithOptions(ClusterNodes.PinnedTo(node)).Remote(small.AsMemory());
            await read.GetAsync(WarmUpPatience);
        }

        return nodes.Ids.Count;
    }

    private static async Task<T> TimedAsync<T>(string name, Func<Task<T>> run)
    {
        var clock = Stopwatch.StartNew();
        var value = await run();
        await Console.Error.WriteLineAsync($"{name,-48} {value,24}   ({clock.Elapsed.TotalSeconds:F1} s)");
        return value;
    }
}
