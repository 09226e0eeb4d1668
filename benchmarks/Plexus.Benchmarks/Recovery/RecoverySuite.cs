using System.Diagnostics;
using System.Text.Json;
using Plexus.Benchmarks.Cluster;
using Plexus.Benchmarks.Micro;
using Plexus.ClusterHosting;
using Plexus.Testing;

namespace Plexus.Benchmarks.Recovery;

/// <summary>
/// The recovery suite: what failures cost on a real cluster of a head and three nodes (each node in
/// its own network namespace as root, else on a loopback address of its own). Each figure runs a
/// driver on node 1's host that asks the suite to kill the newest node (the victim) at a moment of
/// its choosing; the suite kills it with SIGKILL, as a machine fails, and adds a fresh node for the
/// next figure, so one cluster serves them all. Progress goes to stderr; the JSON to stdout and to
/// the <c>--out</c> file.
/// </summary>
internal static class RecoverySuite
{
    public const string ChainRecoveryRatio = "chain_recovery_ratio";
    public const string ChainRecoverySeconds = "chain_recovery_seconds";
    public const string ChainFailureFreeLimit = "limit_chain_failure_free_seconds";
    public const string StoredChainRecoveryRatio = "chain_recovery_ratio_stored";
    public const string NodeDeadDetected = "node_dead_detected_seconds";
    public const string NodeTimeoutLimit = "limit_node_timeout_seconds";
    public const string ControlRestartRecovered = "control_restart_recovered_seconds";
    public const string ReconstructionObjectsPerSecond = "reconstruction_objects_per_second";
    public const string ActorRestartSeconds = "actor_restart_seconds";
    public const string ActorFailoverSeconds = "actor_failover_seconds";

    // As in the cluster suite: short, so detection is measured in seconds, and long enough that a
    // saturated machine's late heartbeats do not get a live node declared dead.
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(3);
    private static readonly NodeOptions Node = new() { Cpus = 2, ObjectStoreMemory = 1L << 30 };
    private static readonly TestClusterOptions ClusterOptions = new() { DriverTimeout = TimeSpan.FromMinutes(10), StartTimeout = TimeSpan.FromMinutes(5) };

    public static async Task<int> RunAsync(RecoveryCommand command)
    {
        var report = new FigureReport();
        var clock = Stopwatch.StartNew();
        await using (var cluster = await SuiteProgress.TimedAsync("4-node cluster started", () => TestCluster.StartAsync(
            [Node with { NodeTimeout = NodeTimeout }, Node, Node, Node], ClusterOptions)))
        {
            var alive = new List<TestNode>(cluster.Nodes);

            var chain = await RunKillingAsync(cluster, alive, RecoveryDriver.Chain);
            var (failureFree, recovered) = (chain[RecoveryDriver.FailureFreeSeconds], chain[RecoveryDriver.RecoveredSeconds]);
            report.AddUncomparedFigure(ChainRecoveryRatio, recovered / failureFree);
            report.AddFigure(ChainRecoverySeconds, recovered, ChainFailureFreeLimit);
            report.AddLimit(ChainFailureFreeLimit, failureFree);

            var stored = await RunKillingAsync(cluster, alive, RecoveryDriver.ChainStored);
            report.AddUncomparedFigure(StoredChainRecoveryRatio, stored[RecoveryDriver.RecoveredSeconds] / stored[RecoveryDriver.FailureFreeSeconds]);
            var reconstruction = await RunKillingAsync(cluster, alive, RecoveryDriver.Reconstruction);
            report.AddUncomparedFigure(ReconstructionObjectsPerSecond, reconstruction[ReconstructionObjectsPerSecond]);
            var actor = await RunKillingAsync(cluster, alive, RecoveryDriver.ActorRestart);
            report.AddUncomparedFigure(ActorRestartSeconds, actor[ActorRestartSeconds]);
            var failover = await RunKillingAsync(cluster, alive, RecoveryDriver.ActorFailover);
            report.AddFigure(ActorFailoverSeconds, failover[ActorFailoverSeconds], NodeTimeoutLimit);

            report.AddFigure(NodeDeadDetected, await SuiteProgress.TimedAsync(NodeDeadDetected, () => MembershipFigures.NodeDeadDetectedSecondsAsync(cluster)), NodeTimeoutLimit);
            report.AddLimit(NodeTimeoutLimit, NodeTimeout.TotalSeconds);
            report.AddUncomparedFigure(ControlRestartRecovered, await SuiteProgress.TimedAsync(ControlRestartRecovered, () => MembershipFigures.ControlRestartRecoveredSecondsAsync(cluster)));
        }

        await Console.Error.WriteLineAsync($"recovery suite: {clock.Elapsed.TotalSeconds:F0} s");
        var json = report.ToJson();
        Console.WriteLine(json);
        if (command.OutFile is { } path)
        {
            await File.WriteAllTextAsync(path, json + Environment.NewLine);
        }

        return 0;
    }

    // Runs the driver for one figure on node 1's host; kills the victim (the newest live node) when
    // the driver asks, then adds a fresh node in its place for the next figure.
    private static async Task<Dictionary<string, double>> RunKillingAsync(TestCluster cluster, List<TestNode> alive, string figure)
    {
        var clock = Stopwatch.StartNew();
        using var shared = new TempDirectory();
        var signal = new RecoverySignal(shared.Path);
        var victim = alive[^1];
        var command = SelfCommand.With(["recovery-driver", figure, shared.Path, .. alive.Select(n => n.State.NodeId)]);
        var driver = cluster.RunDriverAsync(1, command.FileName, command.Arguments);
        var killed = await signal.WaitForRequestAsync(RecoverySignal.KillVictim, driver);
        if (killed)
        {
            await cluster.KillNodeAsync(victim.Index);
            alive.Remove(victim);
            signal.Acknowledge(RecoverySignal.KillVictim);
        }

        var outcome = await driver;
        if (killed)
        {
            alive.Add(await cluster.AddNodeAsync(Node));
        }

        var figures = await SuiteProgress.DriverFiguresAsync(outcome, $"recovery driver of {figure}");
        await Console.Error.WriteLineAsync($"{figure,-48} {JsonSerializer.Serialize(figures)}   ({clock.Elapsed.TotalSeconds:F1} s)");
        return figures;
    }
}
