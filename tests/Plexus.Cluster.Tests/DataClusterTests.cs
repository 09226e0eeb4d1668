using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// Plexus.Data on three node processes (tests/Plexus.ClusterDriver's data scenarios): transforms,
/// shuffles and joins equal LINQ, node-local files are read on their nodes, a killed node's work is
/// made again, and a write is one file per block with its manifest.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class DataClusterTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<NodeOptions> ThreeNodes = Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 3).ToList();

    [Fact]
    public async Task TransformsGroupsSortsAndJoinsEqualLinqWithMapTasksOnSeveralNodes()
    {
        await using var cluster = await TestCluster.StartAsync(ThreeNodes, output: output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "data-transform", []);

        var result = await driver.ResultAsync();

        foreach (var equal in new[] { "transformEqual", "countEqual", "sumEqual", "orderEqual", "joinEqual", "broadcastEqual" })
        {
            Assert.True(result.GetProperty(equal).GetBoolean(), $"{equal} is false: {result}");
        }
        Assert.Equal(result.GetProperty("expectedTransformRows").GetInt32(), result.GetProperty("transformRows").GetInt32());
        Assert.Equal(result.GetProperty("expectedJoinRows").GetInt32(), result.GetProperty("joinRows").GetInt32());
        Assert.True(result.GetProperty("largestGroup").GetInt64() * 2 >= result.GetProperty("orderRows").GetInt64(), $"No key holds half the rows: {result}");
        var mapNodes = Strings(result.GetProperty("mapNodes"));
        Assert.True(mapNodes.Count > 1, $"Map tasks ran on one node only: {result}");
        Assert.True(Strings(result.GetProperty("broadcastNodes")).Count > 1, $"Broadcast join tasks ran on one node only: {result}");
        Assert.All(mapNodes, node => Assert.Contains(node, cluster.Nodes.Select(n => n.State.NodeId), StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task NodeLocalFilesAreReadOnceByEveryNode()
    {
        await using var cluster = await TestCluster.StartAsync(ThreeNodes, output: output);
        using var files = new TempDirectory();
        var lines = new List<string>();
        foreach (var name in new[] { "a.txt", "b.txt", "c.txt" })
        {
            var fileLines = Enumerable.Range(0, 50).Select(i => $"{name} line {i}").ToList();
            await File.WriteAllLinesAsync(files.File(name), fileLines);
            lines.AddRange(fileLines);
        }
        using var driver = ClusterDriverRun.Start(cluster, 0, "data-node-local", [files.Path]);

        var result = await driver.ResultAsync();

        var byNode = result.GetProperty("linesByNode").EnumerateObject().ToDictionary(p => p.Name, p => Strings(p.Value), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(cluster.Nodes.Select(n => n.State.NodeId).Order(StringComparer.OrdinalIgnoreCase), byNode.Keys.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.All(byNode, node => Assert.Equal(lines.Order(StringComparer.Ordinal), node.Value));
    }

    /// <summary>
    /// Files only node B has are listed and read on B alone. Nodes share this machine's file system,
    /// but as root each runs under <c>ip netns exec</c>, which gives it a mount namespace where every
    /// entry of <c>/etc/netns/NAMESPACE/</c> is bound over the same name in <c>/etc</c>: B's directory
    /// there is the one path whose contents differ by node.
    /// </summary>
    [NamespacesFact]
    public async Task FilesOnlyOneNodeHasAreReadOnThatNodeAlone()
    {
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 2).ToList(), output: output);
        // Hosts are numbered from 1 as they are added, so the next node's namespace is known before it starts.
        var first = cluster.Nodes[0].Host.Namespace!;
        var nextNamespace = $"{first[..(first.LastIndexOf('-') + 1)]}{cluster.Nodes.Count + 1}";
        var name = $"plexus-node-local-{Guid.NewGuid():N}";
        var seenByAll = Path.Combine("/etc", name);
        var onlyOnB = Path.Combine("/etc/netns", nextNamespace, name);
        Directory.CreateDirectory(seenByAll);
        Directory.CreateDirectory(onlyOnB);
        try
        {
            var lines = new List<string>();
            foreach (var file in new[] { "a.txt", "b.txt", "c.txt" })
            {
                var fileLines = Enumerable.Range(0, 50).Select(i => $"{file} line {i}").ToList();
                await File.WriteAllLinesAsync(Path.Combine(onlyOnB, file), fileLines);
                lines.AddRange(fileLines);
            }

            var nodeB = await cluster.AddNodeAsync(new NodeOptions { Cpus = 2 });
            Assert.Equal(nextNamespace, nodeB.Host.Namespace);
            using var driver = ClusterDriverRun.Start(cluster, 0, "data-node-local", [seenByAll]);

            var result = await driver.ResultAsync();

            var byNode = result.GetProperty("linesByNode").EnumerateObject().ToDictionary(p => p.Name, p => Strings(p.Value), StringComparer.OrdinalIgnoreCase);
            Assert.Equal([nodeB.State.NodeId], byNode.Keys, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(lines.Order(StringComparer.Ordinal), byNode.Single().Value);
        }
        finally
        {
            Directory.Delete(seenByAll, recursive: true);
            Directory.Delete(Path.GetDirectoryName(onlyOnB)!, recursive: true);
        }
    }

    [Fact]
    public async Task SharedFilesAreReadOnceOnSeveralNodes()
    {
        await using var cluster = await TestCluster.StartAsync(ThreeNodes, output: output);
        using var files = new TempDirectory();
        var lines = new List<string>();
        for (var file = 0; file < 12; file++)
        {
            var fileLines = Enumerable.Range(0, 20).Select(i => $"file {file} line {i}").ToList();
            await File.WriteAllLinesAsync(files.File($"{file:D2}.txt"), fileLines);
            lines.AddRange(fileLines);
        }

        using var driver = ClusterDriverRun.Start(cluster, 0, "data-read-shared", [files.Path]);

        var result = await driver.ResultAsync();

        var byNode = result.GetProperty("linesByNode").EnumerateObject().ToDictionary(p => p.Name, p => Strings(p.Value), StringComparer.OrdinalIgnoreCase);
        Assert.True(byNode.Count > 1, $"One node read every shared file: {result}");
        Assert.Equal(lines.Order(StringComparer.Ordinal), byNode.Values.SelectMany(v => v).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AGroupBySumEqualsLinqWhenANodeIsKilledWhileItsMapTasksRun()
    {
        await using var cluster = await TestCluster.StartAsync(ThreeNodes, output: output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "data-node-death", []);
        var started = Path.Combine(driver.Directory, "started");
        await Eventually.TrueAsync(() => File.Exists(started) || driver.HasExited, "a first block of the map stage is done", TimeSpan.FromMinutes(2));
        // The victim must be killed while it runs map tasks (seen using CPUs in its latest heartbeat)
        // and holds map outputs in its store: the first are run again, the second made again by lineage.
        var victim = cluster.Nodes[2].State.NodeId;
        await Eventually.TrueAsync(
            async () => driver.HasExited || (await cluster.StatusAsync()).Node(victim) is { } node
                && node.Used.GetValueOrDefault("CPU") > 0 && node.Used.GetValueOrDefault("object_store_memory") > 0,
            "the victim runs map tasks and holds map outputs", TimeSpan.FromMinutes(1));
        if (driver.HasExited)
        {
            Assert.Fail($"The driver ended before the victim was seen running map tasks and holding their outputs: {await driver.OutcomeAsync()}");
        }

        await cluster.KillNodeAsync(2);

        var result = await driver.ResultAsync();
        Assert.True(result.GetProperty("failure").ValueKind == JsonValueKind.Null, $"The run failed after the node was killed: {result}");
        Assert.True(result.GetProperty("sumEqual").GetBoolean(), $"The sums differ from LINQ's: {result}");
    }

    [Fact]
    public async Task AWriteIsOneFilePerBlockWithAManifestAndReadsBackEqual()
    {
        await using var cluster = await TestCluster.StartAsync(ThreeNodes, output: output);
        using var files = new TempDirectory();
        var directory = files.File("out");
        using var driver = ClusterDriverRun.Start(cluster, 0, "data-write", [directory]);

        var result = await driver.ResultAsync();

        Assert.True(result.GetProperty("readEqual").GetBoolean(), $"What was read back differs from what was written: {result}");
        Assert.Equal(result.GetProperty("readRows").GetInt64(), result.GetProperty("writtenRows").GetInt64());
        var blocks = result.GetProperty("blocks").GetInt32();
        var written = result.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(blocks, written.Count);
        Assert.True(written.Select(f => f.GetProperty("nodeId").GetString()).Distinct().Count() > 1, $"One node wrote every file: {result}");
        var onDisk = Directory.GetFiles(directory).Select(Path.GetFileName).Where(n => n != "_SUCCESS").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(written.Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal), onDisk);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "_SUCCESS")));
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString());
        Assert.Equal(onDisk, listed.Order(StringComparer.Ordinal));
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
