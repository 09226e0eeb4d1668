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

        foreach (var equal in new[] { "transformEqual", "countEqual", "sumEqual", "orderEqual", "joinEqual" })
        {
            Assert.True(result.GetProperty(equal).GetBoolean(), $"{equal} is false: {result}");
        }
        Assert.Equal(result.GetProperty("expectedTransformRows").GetInt32(), result.GetProperty("transformRows").GetInt32());
        Assert.Equal(result.GetProperty("expectedJoinRows").GetInt32(), result.GetProperty("joinRows").GetInt32());
        Assert.True(result.GetProperty("largestGroup").GetInt64() * 2 >= result.GetProperty("orderRows").GetInt64(), $"No key holds half the rows: {result}");
        var mapNodes = Strings(result.GetProperty("mapNodes"));
        Assert.True(mapNodes.Count > 1, $"Map tasks ran on one node only: {result}");
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
