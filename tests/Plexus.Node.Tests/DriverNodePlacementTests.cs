using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>
/// A driver's node (a node offering no CPUs: it has no workers) is never where placement puts
/// work: not a task, not an actor that reserves no CPUs, whatever the strategy.
/// </summary>
public sealed class DriverNodePlacementTests
{
    private const ulong DriverNode = 0x11;
    private const ulong WorkerNode = 0x21;
    private const ulong OtherWorkerNode = 0x31;

    private static readonly Dictionary<string, double> NoCpus = new() { [Resources.Cpu] = 0, [Resources.ObjectStoreMemory] = 1 << 30 };
    private static readonly Dictionary<string, double> FourCpus = new() { [Resources.Cpu] = 4, [Resources.ObjectStoreMemory] = 1 << 30 };
    private static readonly Dictionary<string, double> Idle = new() { [Resources.Cpu] = 0 };

    [Theory]
    [InlineData(false, 1.0)]
    [InlineData(false, 0.0)]
    [InlineData(true, 1.0)]
    [InlineData(true, 0.0)]
    public void WorkSubmittedOnADriversNodeGoesToNodesWithCpus(bool spread, double cpus)
    {
        var placement = PlacementOn(DriverNode, NoCpus, Peer(WorkerNode, FourCpus), Peer(OtherWorkerNode, FourCpus));

        var chosen = Enumerable.Range(0, 8).Select(_ => placement.Choose(DemandOf(cpus, spread), _ => false).Node).ToList();

        Assert.DoesNotContain(DriverNode, chosen);
        Assert.All(chosen, node => Assert.Contains(node, new[] { WorkerNode, OtherWorkerNode }));
    }

    [Theory]
    [InlineData(false, 1.0)]
    [InlineData(false, 0.0)]
    [InlineData(true, 1.0)]
    [InlineData(true, 0.0)]
    public void ADriversNodeIsNeverChosenAsAPeer(bool spread, double cpus)
    {
        // Every node busy (no free CPUs here), and the driver's node idle: still not chosen.
        var placement = PlacementOn(WorkerNode, FourCpus, Peer(DriverNode, NoCpus), Peer(OtherWorkerNode, FourCpus));

        var chosen = Enumerable.Range(0, 8).Select(_ => placement.Choose(DemandOf(cpus, spread), _ => false).Node).ToList();

        Assert.DoesNotContain(DriverNode, chosen);
    }

    [Fact]
    public void WorkSubmittedOnADriversNodeAloneIsHeldAsInfeasible()
    {
        var placement = PlacementOn(DriverNode, NoCpus);

        Assert.True(placement.Choose(DemandOf(1, spread: false), _ => false).IsInfeasible);
        Assert.False(placement.CanEverRunHere(DemandOf(0, spread: false)));
    }

    private static ClusterPlacement PlacementOn(ulong self, Dictionary<string, double> total, params PeerResources[] peers)
    {
        var view = new ClusterView();
        view.Update(peers);
        return new ClusterPlacement(self, total, cpusPerWorker: 1, view);
    }

    private static PeerResources Peer(ulong node, Dictionary<string, double> total) => new(node, total, Idle);

    private static Demand DemandOf(double cpus, bool spread) =>
        new("work", cpus, Resources: null, new Placement(spread ? PlacementKind.Spread : PlacementKind.Default, 0), Args: []);
}
