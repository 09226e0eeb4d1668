using System.Diagnostics;
using Plexus.Benchmarks.Micro;
using Plexus.ClusterHosting;
using Plexus.Testing;

namespace Plexus.Benchmarks.Cluster;

/// <summary>
/// The cluster suite: a real cluster of N nodes started with the plexus tool (each node in its own
/// network namespace as root, else on a loopback address of its own), the TCP limit between the two
/// nodes a transfer crosses, the driver's figures (run on node 1's host), failure detection, then a
/// cluster of its own that 16 nodes join at once. Progress goes to stderr; the JSON to stdout and
/// to the <c>--out</c> file.
/// </summary>
internal static class ClusterSuite
{
    public const string TcpLimit = "limit_tcp_gigabytes";
    public const string NodeTimeoutLimit = "limit_node_timeout_seconds";
    public const int JoiningNodes = 16;

    // Short, so failure detection is measured in seconds; long enough that heartbeats (every
    // 500 ms) delayed by a saturated machine do not get a live node declared dead mid-run.
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(3);

    // Room for the 1 GiB object, plus a copy being pulled while the last is freed.
    private static readonly NodeOptions Node = new() { ObjectStoreMemory = 5L << 29 };

    // Joining nodes hold nothing: one CPU slot and a small store each, so 16 fit on the machine.
    private static readonly NodeOptions SmallNode = new() { Cpus = 1, ObjectStoreMemory = 64L << 20 };

    private static readonly TestClusterOptions ClusterOptions = new() { DriverTimeout = TimeSpan.FromMinutes(10), StartTimeout = TimeSpan.FromMinutes(5) };

    public static async Task<int> RunAsync(ClusterCommand command)
    {
        var report = new FigureReport();
        var clock = Stopwatch.StartNew();
        await using (var cluster = await SuiteProgress.TimedAsync($"{command.Nodes}-node cluster started", () => TestCluster.StartAsync(
            [Node with { NodeTimeout = NodeTimeout }, .. Enumerable.Repeat(Node, command.Nodes - 1)], ClusterOptions)))
        {
            var (source, target) = (cluster.Nodes[1], cluster.Nodes.Count > 2 ? cluster.Nodes[2] : cluster.Nodes[0]);
            using var logs = new TempDirectory();
            report.AddLimit(TcpLimit, await SuiteProgress.TimedAsync(TcpLimit, () => TcpStreamLimit.MeasureAsync(
                source.Host, target.Host, cluster.FreePort(target), TransferFigures.ObjectBytes, logs.Path)));

            var driver = await RunDriverAsync(cluster);
            report.AddFigure(ClusterDriver.TransferGigabytes, driver[ClusterDriver.TransferGigabytes], TcpLimit);
            report.AddFigure(ClusterDriver.FirstTransferGigabytes, driver[ClusterDriver.FirstTransferGigabytes], TcpLimit);
            report.AddUncomparedFigure(ClusterDriver.BroadcastSeconds, driver[ClusterDriver.BroadcastSeconds]);
            report.AddUncomparedFigure(ClusterDriver.BroadcastSourceBytesRatio, driver[ClusterDriver.BroadcastSourceBytesRatio]);
            report.AddFigure(ClusterDriver.CrossNodeTasks, driver[ClusterDriver.CrossNodeTasks], ClusterDriver.SingleNodeTasks);
            report.AddLimit(ClusterDriver.SingleNodeTasks, driver[ClusterDriver.SingleNodeTasks]);
            if (driver.TryGetValue(ClusterDriver.CrossNodeActorCalls, out var actorCalls))
            {
                report.AddFigure(ClusterDriver.CrossNodeActorCalls, actorCalls, ClusterDriver.SingleNodeActorCalls);
            }

            report.AddLimit(ClusterDriver.SingleNodeActorCalls, driver[ClusterDriver.SingleNodeActorCalls]);
            report.AddUncomparedFigure(ClusterDriver.ControlCallsPerThousandTasks, driver[ClusterDriver.ControlCallsPerThousandTasks]);

            report.AddFigure("node_dead_detected_seconds", await SuiteProgress.TimedAsync("node_dead_detected_seconds", () => MembershipFigures.NodeDeadDetectedSecondsAsync(cluster)), NodeTimeoutLimit);
            report.AddLimit(NodeTimeoutLimit, NodeTimeout.TotalSeconds);
        }

        await using (var head = await SuiteProgress.TimedAsync("head started for joining", () => TestCluster.StartAsync([SmallNode], ClusterOptions)))
        {
            report.AddUncomparedFigure("nodes_join_seconds", await SuiteProgress.TimedAsync("nodes_join_seconds", () => MembershipFigures.NodesJoinSecondsAsync(head, JoiningNodes, SmallNode)));
        }

        await Console.Error.WriteLineAsync($"cluster suite: {clock.Elapsed.TotalSeconds:F0} s");
        var json = report.ToJson();
        Console.WriteLine(json);
        if (command.OutFile is { } path)
        {
            await File.WriteAllTextAsync(path, json + Environment.NewLine);
        }

        return 0;
    }

    // The driver on node 1's host, with the node ids in index order; its figures are its last line.
    private static async Task<Dictionary<string, double>> RunDriverAsync(TestCluster cluster)
    {
        var clock = Stopwatch.StartNew();
        var command = SelfCommand.With(["cluster-driver", .. cluster.Nodes.Select(n => n.State.NodeId)]);
        var figures = await SuiteProgress.DriverFiguresAsync(await cluster.RunDriverAsync(1, command.FileName, command.Arguments), "cluster driver");
        await Console.Error.WriteLineAsync($"driver: {clock.Elapsed.TotalSeconds:F1} s");
        return figures;
    }
}
