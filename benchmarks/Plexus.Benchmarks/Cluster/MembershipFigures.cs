using System.Diagnostics;
using Plexus.ClusterHosting;
using Plexus.Control;

namespace Plexus.Benchmarks.Cluster;

/// <summary>
/// How fast the head's view of the cluster follows what happens to its nodes: a node killed as a
/// machine fails, many nodes started at once, and its control service killed and restarted. Both watch the head's node list every 50 ms
/// through its control service (a `plexus status` process per look would take longer than that).
/// </summary>
internal static class MembershipFigures
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>SIGKILLs the cluster's last node (with its workers): seconds until the head lists it DEAD.</summary>
    public static async Task<double> NodeDeadDetectedSecondsAsync(TestCluster cluster)
    {
        await using var control = await ConnectAsync(cluster);
        var victim = cluster.Nodes[^1];
        var clock = Stopwatch.StartNew();
        await cluster.KillNodeAsync(victim.Index);
        await UntilAsync(async () => await control.StateAsync(victim.State.NodeId) == NodeState.Dead, $"the head lists {victim} DEAD");
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// SIGKILLs the head's control service process (the head restarts it, with its tables in their
    /// storage): seconds until the service answers again and lists every node that was ALIVE.
    /// </summary>
    public static async Task<double> ControlRestartRecoveredSecondsAsync(TestCluster cluster)
    {
        await using var control = await ConnectAsync(cluster);
        var alive = await control.AliveCountAsync();
        var clock = Stopwatch.StartNew();
        await cluster.KillControlServiceAsync();
        await UntilAsync(async () => await AliveCountOrNoneAsync(control) == alive, $"the restarted control service lists {alive} nodes ALIVE");
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Starts <paramref name="count"/> nodes at once: seconds until the head lists them all ALIVE.</summary>
    public static async Task<double> NodesJoinSecondsAsync(TestCluster cluster, int count, NodeOptions options)
    {
        await using var control = await ConnectAsync(cluster);
        var expected = cluster.Nodes.Count + count;
        var clock = Stopwatch.StartNew();
        var joining = cluster.AddNodesAsync([.. Enumerable.Repeat(options, count)]);
        await UntilAsync(async () => joining.IsFaulted || await control.AliveCountAsync() == expected, $"the head lists {expected} nodes ALIVE");
        var seconds = clock.Elapsed.TotalSeconds;
        await joining; // a node that failed to start fails the figure, with its output
        return seconds;
    }

    // The count, or -1 while the service does not answer.
    private static async Task<int> AliveCountOrNoneAsync(ClusterControl control)
    {
        try
        {
            return await control.AliveCountAsync();
        }
        catch (ControlServiceUnavailableException)
        {
            return -1;
        }
    }

    private static async Task<ClusterControl> ConnectAsync(TestCluster cluster) =>
        ClusterControl.Connect(cluster.HeadAddress, (await File.ReadAllTextAsync(cluster.TokenFile)).Trim());

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException($"Waited {Patience.TotalMinutes} min for {what}.");
            }

            await Task.Delay(Poll);
        }
    }
}
