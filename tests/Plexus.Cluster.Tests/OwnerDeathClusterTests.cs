using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// An owner that dies (a task as its machine does, or a driver process killed on a live node): a
/// borrower on another node waiting on one of its values gets <c>OwnerDiedException</c> promptly,
/// and the copies of its objects on the live nodes are freed.
/// </summary>
[Slow]
[Collection(WaitingClusterCollection.Name)]
public sealed class OwnerDeathClusterTests(ITestOutputHelper output)
{
    private const string StoreUsed = "object_store_memory";
    private const double BorrowedBytes = 2 * (32 << 20);
    private const long Store = 512L << 20;
    // The link to a killed node or process breaks at once; this is room for a loaded 2-core machine.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ABorrowerWaitingOnAKilledNodesOwnerGetsOwnerDiedAndItsCopiesAreFreed()
    {
        var nodes = new List<NodeOptions> { new() { Cpus = 1, ObjectStoreMemory = Store }, new() { Cpus = 2, ObjectStoreMemory = Store }, new() { Cpus = 1, ObjectStoreMemory = Store } };
        await using var cluster = await TestCluster.StartAsync(nodes, output: output);
        var (owner, borrower) = (cluster.Nodes[1], cluster.Nodes[2]);
        var before = await cluster.StatusAsync();
        using var driver = ClusterDriverRun.Start(cluster, 0, "owner-death", [owner.State.NodeId, borrower.State.NodeId]);
        try
        {
            await BorrowerHoldsCopiesAsync(cluster, driver, before, borrower);

            await cluster.KillNodeAsync(1);

            await AssertBorrowerGotOwnerDiedAsync(driver);
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

    [Fact]
    public async Task ABorrowerWaitingOnAKilledDriversValueGetsOwnerDiedAndTheDriversObjectsAreFreed()
    {
        var nodes = new List<NodeOptions> { new() { Cpus = 1, ObjectStoreMemory = Store }, new() { Cpus = 1, ObjectStoreMemory = Store } };
        await using var cluster = await TestCluster.StartAsync(nodes, output: output);
        var (ownersNode, borrower) = (cluster.Head, cluster.Nodes[1]);
        var before = await cluster.StatusAsync();
        // The owner is the driver, attached to the head's node, where its puts are stored and its
        // task that never finishes runs.
        using var driver = ClusterDriverRun.Start(cluster, 0, "owner-driver-death", [borrower.State.NodeId, ownersNode.State.NodeId]);
        try
        {
            await BorrowerHoldsCopiesAsync(cluster, driver, before, borrower);
            await driver.ReachedAsync("killed");

            await KillDriverAsync(driver);

            await AssertBorrowerGotOwnerDiedAsync(driver);
            await Eventually.ValueAsync(
                cluster.StatusAsync, s => Used(s, borrower) == Used(before, borrower) && Used(s, ownersNode) == Used(before, ownersNode),
                "the owner's node and the borrower's are back to their use before the objects were made", Deadline);
        }
        finally
        {
            // A driver the test did not kill goes on (and ends).
            driver.Go("killed");
        }

        await driver.OutcomeAsync();
    }

    // Until the borrower has read the owner's objects and its node holds copies of them.
    private static async Task BorrowerHoldsCopiesAsync(TestCluster cluster, ClusterDriverRun driver, ClusterStatus before, TestNode borrower)
    {
        var ready = Path.Combine(driver.Directory, "borrower.ready");
        await Eventually.TrueAsync(
            async () => File.Exists(ready) || (driver.HasExited ? throw new Xunit.Sdk.XunitException($"The driver ended early: {await driver.OutcomeAsync()}") : false),
            "the borrower has read the owner's objects", TimeSpan.FromMinutes(2));
        await Eventually.ValueAsync(
            cluster.StatusAsync, s => Used(s, borrower) >= Used(before, borrower) + BorrowedBytes, "the borrower's node holds copies of the objects", Deadline);
    }

    // The borrower's wait on the owner's value that never comes ends, with OwnerDiedException.
    private static async Task AssertBorrowerGotOwnerDiedAsync(ClusterDriverRun driver)
    {
        var result = Path.Combine(driver.Directory, "borrower.result");
        await Eventually.TrueAsync(() => File.Exists(result), "the borrower's wait ends", Deadline);
        var failure = JsonDocument.Parse(await File.ReadAllTextAsync(result)).RootElement;
        Assert.True(failure.ValueKind == JsonValueKind.Object && failure.GetProperty("type").GetString() == "OwnerDiedException", $"The borrower's wait ended with {failure}");
    }

    // Kills the driver (SIGKILL) by the process id it wrote before its checkpoint "killed", where it
    // still waits: the pid is its own.
    private static async Task KillDriverAsync(ClusterDriverRun driver)
    {
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(driver.Directory, "owner.pid")), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        await Eventually.TrueAsync(() => driver.HasExited, "the killed driver has exited", Deadline);
    }

    private static double Used(ClusterStatus status, TestNode node) => status.Node(node.State.NodeId)!.Used.GetValueOrDefault(StoreUsed);
}
