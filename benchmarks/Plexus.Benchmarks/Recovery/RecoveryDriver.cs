using System.Diagnostics;
using System.Text.Json;
using Plexus.Benchmarks.Cluster;

namespace Plexus.Benchmarks.Recovery;

/// <summary>
/// The recovery suite's driver (the hidden <c>recovery-driver</c> command): run by the suite on
/// node 1's host with PLEXUS_ADDRESS, one figure per run. The victim is the last node id given; the
/// driver asks the suite to kill it through <see cref="RecoverySignal"/> and prints one JSON object
/// of name → number to stdout.
/// </summary>
internal static class RecoveryDriver
{
    public const string Chain = "chain";
    public const string ChainStored = "chain-stored";
    public const string Reconstruction = "reconstruction";
    public const string ActorRestart = "actor-restart";
    public const string ActorFailover = "actor-failover";

    public const string FailureFreeSeconds = "failure_free_seconds";
    public const string RecoveredSeconds = "recovered_seconds";

    // Values of the stored chain: past the inline threshold, so each link's value lives in the store of the node that made it.
    private const int StoredValueBytes = 1 << 20;
    private static readonly TimeSpan WarmUpPatience = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(string figure, string signalDirectory, IReadOnlyList<string> nodeIds)
    {
        var nodes = new ClusterNodes(nodeIds);
        var victim = nodeIds[^1];
        var signal = new RecoverySignal(signalDirectory);
        await using var plexus = await PlexusRuntime.StartAsync();
        await WarmUpAsync(plexus, nodes);
        var figures = new Dictionary<string, double>();
        switch (figure)
        {
            case Chain or ChainStored:
                var (failureFree, recovered) = await ChainFigure.RunAsync(plexus, victim, figure == Chain ? 1 : StoredValueBytes, signal);
                figures[FailureFreeSeconds] = failureFree;
                figures[RecoveredSeconds] = recovered;
                break;
            case Reconstruction:
                figures[RecoverySuite.ReconstructionObjectsPerSecond] = await ReconstructionFigure.ObjectsPerSecondAsync(plexus, victim, signal);
                break;
            case ActorRestart:
                figures[RecoverySuite.ActorRestartSeconds] = await ActorRestartFigure.MedianSecondsAsync(plexus, victim);
                break;
            case ActorFailover:
                figures[RecoverySuite.ActorFailoverSeconds] = await ActorFailoverFigure.SecondsAsync(plexus, victim, signal);
                break;
            default:
                throw new UsageException($"recovery-driver does not know figure '{figure}'.");
        }

        Console.WriteLine(JsonSerializer.Serialize(figures));
        return 0;
    }

    // Every node starts the job's workers (fetching its package) before anything is timed.
    private static async Task WarmUpAsync(PlexusRuntime plexus, ClusterNodes nodes)
    {
        var clock = Stopwatch.StartNew();
        foreach (var node in nodes.Ids)
        {
            using var ran = plexus.Task<string>(RecoveryTasks.NodeId).WithOptions(ClusterNodes.PinnedTo(node)).Remote();
            var where = await ran.GetAsync(WarmUpPatience);
            if (where != node)
            {
                throw new InvalidOperationException($"A warm-up task bound to node {node} ran on {where}.");
            }
        }

        await Console.Error.WriteLineAsync($"warm-up on {nodes.Ids.Count} nodes: {clock.Elapsed.TotalSeconds:F1} s");
    }
}
