using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// Resources are held while work runs: a task waits for a resource another holds, or goes to a
/// node that has it free; an actor no node can host waits until one joins; the pools of two jobs
/// share their node's CPUs.
/// </summary>
[Slow]
[Collection(WaitingClusterCollection.Name)]
public sealed class ResourceUseClusterTests(ITestOutputHelper output)
{
    private static readonly NodeOptions TwoCpus = new() { Cpus = 2 };

    [Fact]
    public async Task TasksAskingForANodesOnlySsdNeverOverlapThereAndSpillToAnotherNodeWithAnSsd()
    {
        var ssd = new NodeOptions { Cpus = 2, Resources = new Dictionary<string, double> { ["ssd"] = 1 } };
        await using var cluster = await TestCluster.StartAsync([ssd, ssd], output: output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "exclusive", ["4"]);

        var intervals = Intervals(await driver.ResultAsync());

        Assert.Equal(4, intervals.Count);
        Assert.Equal(cluster.Nodes.Select(n => n.State.NodeId).Order(), intervals.Select(i => i.Node).Distinct().Order());
        foreach (var node in intervals.GroupBy(i => i.Node))
        {
            Assert.True(MaxOverlap(node) == 1, $"Tasks holding the only ssd of node {node.Key} ran at the same time: {string.Join(", ", node)}");
        }
    }

    [Fact]
    public async Task AnActorAskingForAResourceNoNodeOffersIsListedInfeasibleAndCreatedWhenANodeOfferingItJoins()
    {
        await using var cluster = await TestCluster.StartAsync([TwoCpus, TwoCpus], output: output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "held-actor", []);

        var pending = await Eventually.ValueAsync(
            async () => (await cluster.StatusAsync()).Nodes.SelectMany(n => n.Infeasible).ToList(),
            lines => lines.Count > 0 || driver.HasExited,
            "the gpu-x actor is listed infeasible",
            TimeSpan.FromMinutes(2));
        if (driver.HasExited)
        {
            Assert.Fail($"The driver ended while its gpu-x actor should wait: {await driver.OutcomeAsync()}");
        }

        var gpu = await cluster.AddNodeAsync(new NodeOptions { Cpus = 2, Resources = new Dictionary<string, double> { ["gpu-x"] = 1 } });
        var result = await driver.ResultAsync();

        var line = Assert.Single(pending);
        Assert.StartsWith("actor ", line, StringComparison.Ordinal);
        Assert.Contains("gpu-x: 1", line, StringComparison.Ordinal);
        Assert.Equal(gpu.State.NodeId, result.GetProperty("node").GetString());
        Assert.Equal(2, result.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task TwoJobPackagesOnATwoCpuNodeRunAtMostTwoTasksAtOnce()
    {
        using var programs = new TempDirectory();
        var (version1, version2) = DriverCopies.TwoVersions(programs);
        await using var cluster = await TestCluster.StartAsync([TwoCpus], output: output);

        using var first = ClusterDriverRun.Start(cluster, 0, "concurrent", ["4"], programDirectory: version1);
        using var second = ClusterDriverRun.Start(cluster, 0, "concurrent", ["4"], programDirectory: version2);
        // Both jobs have their workers started before either submits: their tasks meet on the node.
        await first.ReachedAsync("go");
        await second.ReachedAsync("go");
        first.Go("go");
        second.Go("go");
        var intervals = Intervals(await first.ResultAsync()).Concat(Intervals(await second.ResultAsync())).ToList();

        Assert.Equal(8, intervals.Count);
        Assert.True(MaxOverlap(intervals) <= 2, $"More than 2 tasks ran at once on a 2-CPU node: {string.Join(", ", intervals)}");
    }

    private static List<Interval> Intervals(JsonElement result) =>
        [.. result.EnumerateArray().Select(i => new Interval(i.GetProperty("nodeId").GetString()!, i.GetProperty("start").GetInt64(), i.GetProperty("end").GetInt64()))];

    // The most intervals running at one moment: ends are counted before starts at the same tick.
    private static int MaxOverlap(IEnumerable<Interval> intervals)
    {
        var events = intervals.SelectMany(i => new[] { (At: i.Start, Change: +1), (At: i.End, Change: -1) }).OrderBy(e => e.At).ThenBy(e => e.Change);
        var (running, most) = (0, 0);
        foreach (var (_, change) in events)
        {
            running += change;
            most = Math.Max(most, running);
        }

        return most;
    }

    private sealed record Interval(string Node, long Start, long End);
}
