using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// An owner that dies as its machine does: a borrower on another node waiting on one of its values
/// gets <c>OwnerDiedException</c> promptly, and the copies of its objects on other nodes are freed.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class OwnerDeathClusterTests(ITestOutputHelper output)
{
    private const string StoreUsed = "object_store_memory";
    private const double BorrowedBytes = 2 * (32 << 20);
    // The link to a killed node breaks at once; this is room for a loaded 2-core machine.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ABorrowerWaitingOnAKilledNodesOwnerGetsOwnerDiedAndItsCopiesAreFreed()
    {
        var store = 512L << 20;
        var nodes = new List<NodeOptions> { new() { Cpus = 1, ObjectStoreMemory = store }, new() { Cpus = 2, ObjectStoreMemory = store }, new() { Cpus = 1, ObjectStoreMemory = store } };
        await using var cluster = await TestCluster.StartAsync(nodes, output: output);
        var (owner, borrower) = (cluster.Nodes[1], cluster.Nodes[2]);
        var before = await cluster.StatusAsync();
        using var driver = ClusterDriverRun.Start(cluster, 0, "owner-death", [owner.State.NodeId, borrower.State.NodeId]);
        try
        {
            var ready = Path.Combine(driver.Directory, "borrower.ready");
            await Eventually.TrueAsync(
                async () => File.Exists(ready) || (driver.HasExited ? throw new Xunit.Sdk.XunitException($"The driver ended early: {await driver.OutcomeAsync()}") : false),
                "the borrower has read the owner's objects", TimeSpan.FromMinutes(2));
            await Eventually.ValueAsync(
                cluster.StatusAsync, s => Used(s, borrower) >= Used(before, borrower) + BorrowedBytes, "the borrower's node holds copies of the objects", Deadline);

            await cluster.KillNodeAsync(1);

            var result = Path.Combine(driver.Directory, "borrower.result");
            await Eventually.TrueAsync(() => File.Exists(result), "the borrower's wait ends", Deadline);
            var failure = JsonDocument.Parse(await File.ReadAllTextAsync(result)).RootElement;
            Assert.True(failure.ValueKind == JsonValueKind.Object && failure.GetProperty("type").GetString() == "OwnerDiedException", $"The borrower's wait ended with {failure}");
            await Eventually.ValueAsync(
                cluster.StatusAsync, s => Used(s, borrower) == Used(before, borrower) && Used(s, cluster.Head) == Used(before, cluster.Head),
                "the live nodes' stores are back to their use before the objects were made", Deadline);
        }
        finally
        {
            // The driver goes on (and ends) whether the test passed or not.
            driver.Go("checked");
        }

        await driver.OutcomeAsync();
    }

    private static double Used(ClusterStatus status, TestNode node) => status.Node(node.State.NodeId)!.Used.GetValueOrDefault(StoreUsed);
}
