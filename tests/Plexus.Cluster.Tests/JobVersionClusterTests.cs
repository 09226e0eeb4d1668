using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>Jobs bring their own code: two versions of one assembly run side by side, each from its node's package cache.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class JobVersionClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoJobsWithTwoVersionsOfAnAssemblyEachRunTheirOwnFromTheNodesPackageCache()
    {
        using var programs = new TempDirectory();
        var (version1, version2) = DriverCopies.TwoVersions(programs);
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 3).ToList(), output: output);

        using var first = ClusterDriverRun.Start(cluster, 0, "versions", ["6"], programDirectory: version1);
        using var second = ClusterDriverRun.Start(cluster, 1, "versions", ["6"], programDirectory: version2);
        var results = new[] { ("1", await first.ResultAsync()), ("2", await second.ResultAsync()) };

        foreach (var (version, result) in results)
        {
            Assert.Equal(version, result.GetProperty("driver").GetString());
            var tasks = result.GetProperty("tasks").EnumerateArray().ToList();
            Assert.True(tasks.Select(t => t.GetProperty("nodeId").GetString()).Distinct().Count() > 1, $"The tasks of version {version} ran on one node: {result}");
            foreach (var task in tasks)
            {
                Assert.Equal(version, task.GetProperty("version").GetString());
                var node = cluster.NodeWithId(task.GetProperty("nodeId").GetString()!);
                var location = task.GetProperty("location").GetString()!;
                Assert.StartsWith(JobPackages.CacheOf(node) + "/", location, StringComparison.Ordinal);
            }
        }
    }
}
