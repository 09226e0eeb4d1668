using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Plexus.Cluster.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// Bad input on every TCP port of a running cluster (the head's control port, each node's peer
/// port) for a bounded time, from a seeded random source: afterwards every node still runs, the
/// head lists them all ALIVE, no node logged an error of its own, and a job spread over all nodes
/// computes exact sums. The seed is printed and in every failure message; PLEXUS_FUZZ_SEED repeats a run.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class ClusterFuzzTests(ITestOutputHelper output)
{
    private const string SeedVariable = "PLEXUS_FUZZ_SEED";
    private static readonly TimeSpan FuzzDuration = TimeSpan.FromSeconds(20);
    // Connections that connect and say nothing, held open on each port while the others attack.
    private const int SilentConnectionsPerPort = 8;

    [Fact]
    public async Task ClusterSurvivesGarbageOnEveryPortAndStillComputesExactly()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"Fuzz seed {seed} ({SeedVariable}={seed} repeats this run)");
        var nodes = Enumerable.Repeat(new NodeOptions { Cpus = 2, ObjectStoreMemory = 128L << 20 }, 3).ToList();
        await using var cluster = await TestCluster.StartAsync(nodes, output: output);
        var (peerPorts, controlPorts) = FindPorts(cluster);
        var token = (await File.ReadAllTextAsync(cluster.TokenFile)).Trim();

        var failures = new ConcurrentQueue<string>();
        var attacks = await FuzzAsync(seed, token, peerPorts, controlPorts, failures);
        output.WriteLine($"Attacks: {string.Join(", ", attacks.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {a.Value}"))}");

        Assert.True(failures.IsEmpty, $"Seed {seed}: the cluster mishandled bad input:\n{string.Join('\n', failures.Distinct())}");
        Assert.All(cluster.Nodes, node => Assert.False(node.Process.HasExited, $"Seed {seed}: {node} exited (code {(node.Process.HasExited ? node.Process.ExitCode : 0)}):\n{node.Process.ReadLog()}"));
        var status = await cluster.StatusAsync();
        Assert.All(cluster.Nodes, node => Assert.True(status.Node(node.State.NodeId)?.IsAlive, $"Seed {seed}: {node} is not listed ALIVE: {status}"));
        Assert.All(cluster.Nodes, node => Assert.Empty(ErrorsLogged(node)));
        await AssertJobComputesExactlyAsync(cluster, seed);
    }

    // The node's ports (and the head's control service's) as /proc shows them, each checked to be one the node announces in node.json.
    private static (List<FuzzTarget> Peer, List<FuzzTarget> Control) FindPorts(TestCluster cluster)
    {
        var peer = new List<FuzzTarget>();
        var control = new List<FuzzTarget>();
        foreach (var node in cluster.Nodes)
        {
            var nodeId = ulong.Parse(node.State.NodeId, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var others = cluster.Nodes.Where(n => n != node).Select(n => ulong.Parse(n.State.NodeId, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToList();
            // The head's control service is a process of its own, started and supervised by the head.
            var processes = node.Index == 0 ? [node.Process.Pid, cluster.ControlServicePid] : new[] { node.Process.Pid };
            foreach (var listening in processes.SelectMany(ListeningSockets.Of))
            {
                // A socket bound to every address is reached on the node's own.
                var endpoint = listening.Address.Equals(IPAddress.Any) || listening.Address.Equals(IPAddress.IPv6Any)
                    ? new IPEndPoint(node.Host.Address, listening.Port)
                    : listening;
                var target = new FuzzTarget(node.Name, endpoint, nodeId, others);
                if (node.State.NodeAddress == $"tcp:{endpoint}")
                {
                    peer.Add(target);
                }
                else if (node.Index == 0 && cluster.HeadAddress == endpoint.ToString())
                {
                    control.Add(target);
                }
                else
                {
                    Assert.Fail($"{node} listens on {listening}, which it does not announce (node.json: {node.State})");
                }
            }
        }

        Assert.Equal(cluster.Nodes.Count, peer.Count);
        Assert.Single(control);
        return (peer, control);
    }

    // Attacks each port in turn from its own random source, all ports at once, until the time is up.
    private async Task<ConcurrentDictionary<string, int>> FuzzAsync(
        int seed, string token, List<FuzzTarget> peerPorts, List<FuzzTarget> controlPorts, ConcurrentQueue<string> failures)
    {
        var attacks = new ConcurrentDictionary<string, int>();
        using var http = ControlPortFuzzer.CreateHttpClient();
        using var time = new CancellationTokenSource(FuzzDuration);
        var silent = new List<Socket>();
        try
        {
            var loops = new List<Task>();
            var index = 0;
            foreach (var target in peerPorts.Concat(controlPorts))
            {
                silent.AddRange(await ConnectSilentlyAsync(target.Endpoint));
                var random = new Random(HashCode.Combine(seed, index++));
                Func<CancellationToken, Task<string>> attack = peerPorts.Contains(target)
                    ? new NodePortFuzzer(random, token, target, failures).AttackAsync
                    : new ControlPortFuzzer(random, target, http, failures).AttackAsync;
                loops.Add(Task.Run(async () =>
                {
                    while (!time.IsCancellationRequested)
                    {
                        try
                        {
                            var name = await attack(time.Token);
                            attacks.AddOrUpdate($"{target.Node}: {name}", 1, (_, n) => n + 1);
                        }
                        catch (OperationCanceledException) when (time.IsCancellationRequested)
                        {
                            // Time is up in the middle of an attack.
                        }
                    }
                }));
            }

            await Task.WhenAll(loops);
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
        }

        return attacks;
    }

    private static async Task<List<Socket>> ConnectSilentlyAsync(IPEndPoint endpoint)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < SilentConnectionsPerPort; i++)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(socket);
            await socket.ConnectAsync(endpoint);
        }

        return sockets;
    }

    // Error lines of Plexus's own categories in the node's log: a fault in the node's own handling,
    // which bad input must never cause. (gRPC's server logs every request body it cannot decode
    // as an error, before the token is checked; that is its plumbing, not the node failing.)
    private static List<string> ErrorsLogged(TestNode node) =>
        node.Process.ReadLog().Split('\n')
            .Where(line => line.Contains("fail: Plexus.", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal))
            .Select(line => $"{node}: {line}")
            .ToList();

    // A driver on node 1 runs tasks on each node and spread over all; every sum must be exact.
    private async Task AssertJobComputesExactlyAsync(TestCluster cluster, int seed)
    {
        var driver = typeof(ClusterFuzzTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestDriver").Value!;
        var nodeIds = cluster.Nodes.Select(n => n.State.NodeId).ToList();
        var outcome = await cluster.RunDriverAsync(1, "dotnet", [driver, "sums", .. nodeIds]);
        Assert.True(outcome.ExitCode == 0, $"Seed {seed}: the job failed after the fuzzing: {outcome}");
        var results = outcome.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim().Split(' ')).ToList();
        output.WriteLine(outcome.StandardOutput);

        var squares = results.Where(r => r[0] == "squares").ToList();
        var arrays = results.Where(r => r[0] == "array").ToList();
        Assert.Equal(nodeIds.Count * 4, squares.Count);
        Assert.Equal(nodeIds.Count, arrays.Count);
        foreach (var result in squares)
        {
            var (asked, ranOn, from, count, sum) = (result[1], result[2], long.Parse(result[3], CultureInfo.InvariantCulture), int.Parse(result[4], CultureInfo.InvariantCulture), long.Parse(result[5], CultureInfo.InvariantCulture));
            Assert.Equal(SumOfSquares(from, count), sum);
            Assert.Contains(ranOn, nodeIds);
            Assert.True(asked == "spread" || asked == ranOn, $"a task pinned to {asked} ran on {ranOn}");
        }

        foreach (var result in arrays)
        {
            var length = long.Parse(result[3], CultureInfo.InvariantCulture);
            Assert.Equal(result[1], result[2]);
            Assert.Equal(length * (length - 1) / 2, long.Parse(result[4], CultureInfo.InvariantCulture));
        }

        Assert.Equal(nodeIds.Order(), squares.Select(r => r[2]).Distinct().Order());
    }

    private static long SumOfSquares(long from, int count) =>
        Enumerable.Range(0, count).Select(i => (from + i) * (from + i)).Sum();
}
