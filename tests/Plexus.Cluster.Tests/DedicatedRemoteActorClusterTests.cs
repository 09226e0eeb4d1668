using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>An actor in a process of its own, placed on another node by a resource only that node offers, answers its calls.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class DedicatedRemoteActorClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AnActorInAProcessOfItsOwnOnAnotherNodeAnswersItsFirstCalls()
    {
        var nodes = new List<NodeOptions> { new() { Cpus = 2 }, new() { Cpus = 2, Resources = new Dictionary<string, double> { ["fpga"] = 1 } } };
        await using var cluster = await TestCluster.StartAsync(nodes, output: output);
        using var driver = ClusterDriverRun.Start(cluster, 0, "dedicated-remote", []);

        var result = await driver.ResultAsync();

        Assert.True(result.GetProperty("first").ValueKind == JsonValueKind.Null, $"The first call failed: {result}");
        Assert.True(result.GetProperty("second").ValueKind == JsonValueKind.Null, $"The second call failed: {result}");
    }
}
