using System.Globalization;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// A node cut off from the cluster (its host's link down: packets dropped, nothing closed) is
/// declared dead after the head's timeout, and when the link returns it is fenced: it does not come
/// back under its old id with what it ran, but as a new node, its old processes stopped.
/// </summary>
[Slow]
[Collection(RunAloneCollection.Name)] // a 3 s node timeout: no other cluster works beside it
public sealed class PartitionClusterTests(ITestOutputHelper output)
{
    // Short, so the cut is noticed quickly; the other nodes heartbeat every 500 ms, far inside it.
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(3);
    // Room for a loaded 2-core machine: a heartbeat blocked while cut off takes up to a call timeout (10 s) to give up.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);

    [NamespacesFact]
    public async Task APartitionedNodeIsDeclaredDeadAndRejoinsAsANewNodeWithItsOldProcessesStopped()
    {
        var victimOptions = new NodeOptions { Cpus = 2, Resources = new Dictionary<string, double> { ["partitioned"] = 1 } };
        var nodes = new List<NodeOptions> { new() { Cpus = 1, NodeTimeout = NodeTimeout }, new() { Cpus = 1 }, victimOptions };
        await using var cluster = await TestCluster.StartAsync(nodes, new TestClusterOptions { Network = TestNetworkKind.Namespaces }, output);
        var victim = cluster.Nodes[2];
        using var driver = ClusterDriverRun.Start(cluster, 0, "partition", [victim.State.NodeId]);
        try
        {
            var worker = await ReportedProcessAsync(driver, "worker.pid", "the task runs on the victim");
            var actor = await ReportedProcessAsync(driver, "actor.lines", "the actor appends on the victim");
            Assert.True(worker.IsRunning && actor.IsRunning, "the victim's worker and actor run before the cut");

            await cluster.PartitionAsync(victim.Host);
            await Eventually.ValueAsync(
                cluster.StatusAsync, s => s.Node(victim.State.NodeId)?.IsAlive == false, "the head lists the cut-off node DEAD", NodeTimeout + Margin);
            await cluster.HealAsync(victim.Host);

            var host = victim.Host.Address.ToString();
            var status = await Eventually.ValueAsync(
                cluster.StatusAsync, s => s.Nodes.Any(n => n.IsAlive && OnHost(n, host) && !IsNode(n, victim.State.NodeId)),
                "the healed host's node rejoins under a new id", Margin);
            Assert.False(status.Node(victim.State.NodeId)!.IsAlive, $"The old id came back: {status}");
            var rejoined = Assert.Single(status.Nodes, n => n.IsAlive && OnHost(n, host));
            // The same `plexus start` process serves the new node, and node.json names it.
            Assert.False(victim.Process.HasExited, "the fenced node's process exited instead of starting a new node");
            await Eventually.TrueAsync(
                () => Task.FromResult(NodeStateFile.TryRead(victim.TempDirectory) is { } state && IsNode(rejoined, state.NodeId) && state.Pid == victim.State.Pid),
                "node.json names the new node", Margin);
            // Network namespaces share the pid namespace: the fenced node's processes are seen here.
            await Eventually.TrueAsync(() => Task.FromResult(!worker.IsRunning), "the fenced node's old worker is stopped", Margin);
            await Eventually.TrueAsync(() => Task.FromResult(!actor.IsRunning), "the fenced node's old actor no longer appends", Margin);
        }
        finally
        {
            // The driver goes on (and ends) whether the test passed or not.
            driver.Go("healed");
        }

        await driver.OutcomeAsync();
    }

    [NamespacesFact]
    public async Task ADriversNodeCutOffPastTheTimeoutClosesItsRuntimeSayingTheClusterDeclaredItDead()
    {
        var nodes = new List<NodeOptions> { new() { Cpus = 1, NodeTimeout = NodeTimeout }, new() { Cpus = 1 } };
        await using var cluster = await TestCluster.StartAsync(nodes, new TestClusterOptions { Network = TestNetworkKind.Namespaces }, output);
        var host = await cluster.AddHostWithoutNodeAsync();

        var (nodeId, message) = await FailureOfADriverCutOffAsync(
            cluster, host, s => Assert.Single(s.Nodes, n => !cluster.Nodes.Any(c => IsNode(n, c.State.NodeId))).NodeId);

        AssertSaysDeclaredDead(nodeId, message);
    }

    [NamespacesFact]
    public async Task ADriverAttachedToANodeCutOffPastTheTimeoutClosesItsRuntimeSayingTheClusterDeclaredItDead()
    {
        var nodes = new List<NodeOptions> { new() { Cpus = 1, NodeTimeout = NodeTimeout }, new() { Cpus = 1 }, new() { Cpus = 1 } };
        await using var cluster = await TestCluster.StartAsync(nodes, new TestClusterOptions { Network = TestNetworkKind.Namespaces }, output);
        var victim = cluster.Nodes[2];

        // The node fenced after the heal stops, closing the link of the driver attached to it.
        var (nodeId, message) = await FailureOfADriverCutOffAsync(cluster, victim.Host, _ => victim.State.NodeId);

        AssertSaysDeclaredDead(nodeId, message);
    }

    // Runs "fenced-driver" on host, cuts the host off until the head lists the node the driver works
    // through (driversNode names it once the driver runs) dead, heals it, and returns that node's id
    // and the message of what the driver's runtime threw afterwards.
    private static async Task<(string NodeId, string Message)> FailureOfADriverCutOffAsync(
        TestCluster cluster, NodeHost host, Func<ClusterStatus, string> driversNode)
    {
        using var driver = ClusterDriverRun.Start(cluster, host, "fenced-driver", []);
        string nodeId;
        try
        {
            await driver.ReachedAsync("cut");
            nodeId = driversNode(await cluster.StatusAsync());

            await cluster.PartitionAsync(host);
            await Eventually.ValueAsync(
                cluster.StatusAsync, s => s.Node(nodeId)?.IsAlive == false, "the head lists the driver's node DEAD", NodeTimeout + Margin);
            await cluster.HealAsync(host);
        }
        finally
        {
            driver.Go("cut");
        }

        var result = await driver.ResultAsync();
        var failure = result.GetProperty("failure");
        Assert.True(failure.ValueKind == System.Text.Json.JsonValueKind.Object, $"The driver's runtime kept working after its node was declared dead: {result}");
        return (nodeId, failure.GetProperty("message").GetString()!);
    }

    [NamespacesFact]
    public async Task ARestartableActorOfAPartitionedNodeRunsOnAnotherNodeAndItsOldProcessStopsOnceHealed()
    {
        var phoenix = new NodeOptions { Cpus = 2, Resources = new Dictionary<string, double> { ["phoenix"] = 1 } };
        var nodes = new List<NodeOptions> { new() { Cpus = 1, NodeTimeout = NodeTimeout }, phoenix, phoenix };
        await using var cluster = await TestCluster.StartAsync(nodes, new TestClusterOptions { Network = TestNetworkKind.Namespaces }, output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "actor-failover", ["phoenix", "once", cluster.Nodes[1].State.NodeId]);
        string first;
        ProcessIdentity oldActor;
        try
        {
            await driver.ReachedAsync("first");
            oldActor = await ReportedProcessAsync(driver, "first.pid", "the actor's process");
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(Path.Combine(driver.Directory, "slow.started"))), "the slow call runs", Margin);
            first = (await File.ReadAllTextAsync(Path.Combine(driver.Directory, "first.node"))).Trim();
            var victim = Assert.Single(cluster.Nodes, n => IsNode(n.State, first));

            await cluster.PartitionAsync(victim.Host);
            await Eventually.ValueAsync(
                cluster.StatusAsync, s => s.Node(first)?.IsAlive == false, "the head lists the cut-off node DEAD", NodeTimeout + Margin);
            driver.Go("first");
            // The driver's calls went to the actor's next incarnation meanwhile; the healed node must not run the old one.
            await cluster.HealAsync(victim.Host);
        }
        finally
        {
            driver.Go("first");
        }

        var result = await driver.ResultAsync();
        Assert.Equal(5, result.GetProperty("afterSlow").GetInt32());
        Assert.Equal(6, result.GetProperty("afterAdd").GetInt32());
        Assert.NotEqual(first, result.GetProperty("second").GetString());
        // Its 1 MiB constructor argument lived on the dead node: the driver made it again for the restart.
        Assert.Equal(result.GetProperty("expectedSeedSum").GetInt64(), result.GetProperty("seedSum").GetInt64());
        await Eventually.TrueAsync(() => Task.FromResult(!oldActor.IsRunning), "the fenced node's old actor process is stopped", Margin);
    }

    // The driver is told which node the cluster declared dead, and why (the service's reason, in parentheses).
    private static void AssertSaysDeclaredDead(string nodeId, string message) =>
        Assert.Matches($"(?i)node {nodeId} was declared dead by the cluster \\(.+\\)", message);

    // The process whose id the driver's task or actor wrote (first line) to file, once it has.
    private static async Task<ProcessIdentity> ReportedProcessAsync(ClusterDriverRun driver, string file, string what)
    {
        var path = Path.Combine(driver.Directory, file);
        var line = await Eventually.ValueAsync(
            async () => File.Exists(path) ? File.ReadLines(path).FirstOrDefault() : (driver.HasExited ? throw new Xunit.Sdk.XunitException($"The driver ended early: {await driver.OutcomeAsync()}") : null),
            l => !string.IsNullOrEmpty(l), what, TimeSpan.FromMinutes(2));
        return ProcessIdentity.OfChild(int.Parse(line!, CultureInfo.InvariantCulture));
    }

    private static bool OnHost(NodeStatus node, string host) => node.Address.Contains(host + ":", StringComparison.Ordinal);

    private static bool IsNode(NodeStatus node, string nodeId) => node.NodeId.Equals(nodeId, StringComparison.OrdinalIgnoreCase);

    private static bool IsNode(NodeStateFile node, string nodeId) => node.NodeId.Equals(nodeId, StringComparison.OrdinalIgnoreCase);
}
