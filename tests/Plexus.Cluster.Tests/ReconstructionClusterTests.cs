using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// Three nodes with room for a 1 GiB object each; the last node is the one a test kills, and a new
/// node takes its place after each test.
/// </summary>
public sealed class ReconstructionCluster : IAsyncLifetime
{
    private static readonly NodeOptions Node = new() { Cpus = 2, ObjectStoreMemory = 2560L << 20 };

    internal TestCluster Cluster { get; private set; } = null!;

    /// <summary>The node the next test kills: the newest.</summary>
    internal int VictimIndex => Cluster.Nodes.Count - 1;

    public async Task InitializeAsync() => Cluster = await TestCluster.StartAsync(Enumerable.Repeat(Node, 3).ToList());

    /// <summary>Kills the victim while <paramref name="driver"/> waits at checkpoint "kill", lets it go on, and returns its result; a new node then takes the victim's place.</summary>
    internal async Task<JsonElement> KillVictimAtCheckpointAsync(ClusterDriverRun driver)
    {
        try
        {
            await driver.ReachedAsync("kill");
            await Cluster.KillNodeAsync(VictimIndex);
            driver.Go("kill");
            return await driver.ResultAsync();
        }
        finally
        {
            await Cluster.AddNodeAsync(Node);
        }
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Objects whose only copy was on a killed node are made again by their owner from lineage, or fail saying why.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class ReconstructionClusterTests(ReconstructionCluster fixture, ITestOutputHelper output) : IClassFixture<ReconstructionCluster>
{
    [Fact]
    public async Task AChainOfTwentyTasksWithItsNodeKilledHalfWayEndsWithTheRightValue()
    {
        using var driver = ClusterDriverRun.Start(fixture.Cluster, 0, "chain", [fixture.Cluster.Nodes[fixture.VictimIndex].State.NodeId]);

        var result = await fixture.KillVictimAtCheckpointAsync(driver);

        var expected = result.GetProperty("expected").GetString();
        Assert.Equal(expected, result.GetProperty("cleanDigest").GetString());
        Assert.Equal(expected, result.GetProperty("killedDigest").GetString());
        // Recorded, not asserted: how much the kill and the re-runs it caused cost.
        output.WriteLine($"chain of 20 x 1 MiB: {result.GetProperty("cleanMs").GetInt64()} ms without a failure, {result.GetProperty("killedMs").GetInt64()} ms with its node killed half-way");
    }

    [Fact]
    public async Task A1GiBObjectLostWithItsNodeIsMadeAgainForATaskOnAnotherNode()
    {
        var survivor = fixture.Cluster.Nodes[1].State.NodeId;
        using var driver = ClusterDriverRun.Start(fixture.Cluster, 0, "big", [fixture.Cluster.Nodes[fixture.VictimIndex].State.NodeId, survivor]);

        var result = await fixture.KillVictimAtCheckpointAsync(driver);

        Assert.True(result.GetProperty("madeBeforeKill").GetBoolean(), $"The object was not made before the kill: {result}");
        Assert.Equal(result.GetProperty("expected").GetString(), result.GetProperty("sha256").GetString());
        Assert.Equal(survivor, result.GetProperty("nodeId").GetString());
    }

    [Fact]
    public async Task ACopyOnAnotherNodeIsUsedRatherThanMakingTheObjectAgain()
    {
        var reader = fixture.Cluster.Nodes[1].State.NodeId;
        using var driver = ClusterDriverRun.Start(fixture.Cluster, 0, "copy", [fixture.Cluster.Nodes[fixture.VictimIndex].State.NodeId, reader]);

        var result = await fixture.KillVictimAtCheckpointAsync(driver);

        Assert.True(result.GetProperty("readOnReader").GetBoolean(), $"The reader's task did not run on its node: {result}");
        Assert.True(result.GetProperty("right").GetBoolean(), $"The object read after the kill has other bytes: {result}");
        Assert.Equal(1, result.GetProperty("runs").GetInt32());
    }

    [Fact]
    public async Task ObjectsThatCannotBeMadeAgainFailSayingWhy()
    {
        // Room for three lineage records (256 bytes each, and a few bytes of arguments) and not four.
        using var driver = ClusterDriverRun.Start(
            fixture.Cluster, 0, "reasons", [fixture.Cluster.Nodes[fixture.VictimIndex].State.NodeId],
            new Dictionary<string, string> { ["CLUSTER_DRIVER_MAX_LINEAGE_BYTES"] = "950" });

        var result = await fixture.KillVictimAtCheckpointAsync(driver);

        Assert.True(result.GetProperty("madeBeforeKill").GetBoolean(), $"The objects were not made before the kill: {result}");
        Assert.Equal("LineageEvictedException", FailureType(result, "evicted"));
        Assert.True(result.GetProperty("remadeRight").GetBoolean(), $"The object whose lineage was kept was not made again right: {result}");
        Assert.Equal("ReconstructionAttemptsExceededException", FailureType(result, "outOfRetries"));
        Assert.Equal("ObjectReconstructionFailedException", FailureType(result, "bound"));
        Assert.Contains("hard node affinity", result.GetProperty("bound").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static string? FailureType(JsonElement result, string name) =>
        result.GetProperty(name) is { ValueKind: JsonValueKind.Object } failure ? failure.GetProperty("type").GetString() : $"no failure: {result}";
}
