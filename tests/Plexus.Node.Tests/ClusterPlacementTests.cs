using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>Where a task goes when what it asks for is taken on its node: to a node that has it free (spillback), else it queues.</summary>
public sealed class ClusterPlacementTests
{
    private const ulong Self = 1;
    private static readonly Dictionary<string, double> OneSsd = new() { ["ssd"] = 1 };

    private readonly ClusterView _view = new();

    [Fact]
    public void ATaskWhoseResourceIsTakenHereGoesToAPeerThatHasItFree()
    {
        _view.Update([Peer(2, cpusUsed: 0, ssdUsed: 0)]);

        Assert.Equal(2ul, Placement(OneSsd).Choose(SsdTask(), _ => false).Node);
    }

    [Fact]
    public void AResourceSentToAPeerCountsAsTakenThereUntilItsNextReport()
    {
        _view.Update([Peer(2, cpusUsed: 0, ssdUsed: 0)]);
        var placement = Placement(OneSsd);

        var first = placement.Choose(SsdTask(), _ => false).Node;
        _view.Sent(first, SsdTask());
        var second = placement.Choose(SsdTask(), _ => false).Node;

        Assert.Equal((2ul, Self), (first, second));
    }

    [Fact]
    public void APeerWithTheResourceTakenIsPassedOverForOneWithItFreeEvenWithFewerFreeCpus()
    {
        _view.Update([Peer(2, cpusUsed: 0, ssdUsed: 1), Peer(3, cpusUsed: 7, ssdUsed: 0)]);

        Assert.Equal(3ul, Placement(new Dictionary<string, double>()).Choose(SsdTask(), _ => true).Node);
    }

    [Fact]
    public void WhenEveryNodeHasTheResourceTakenTheTaskQueuesWhereItCanRun()
    {
        _view.Update([Peer(2, cpusUsed: 0, ssdUsed: 1)]);

        Assert.Equal(Self, Placement(OneSsd).Choose(SsdTask(), _ => false).Node);
        Assert.Equal(2ul, Placement(new Dictionary<string, double>()).Choose(SsdTask(), _ => false).Node);
    }

    [Fact]
    public void APeerWhoseLinkWasLostGetsNoWorkUntilALinkToItIsUpAgainEvenWhileTheServiceStillListsIt()
    {
        var listed = new[] { Peer(2, cpusUsed: 0, ssdUsed: 0), Peer(3, cpusUsed: 0, ssdUsed: 0) };
        _view.Update(listed);
        var placement = Placement(new Dictionary<string, double>());
        var boundSoftlyTo2 = Demand.Of(StoreHarness.Task() with { Placement = new Placement(PlacementKind.NodeAffinity, 2) { Soft = true } });

        _view.Unreachable(2);
        _view.Update(listed);
        var whileUnreachable = placement.Choose(boundSoftlyTo2, _ => false).Node;
        _view.Reachable(2);
        _view.Update(listed);

        Assert.Equal((3ul, 2ul), (whileUnreachable, placement.Choose(boundSoftlyTo2, _ => false).Node));
    }

    private ClusterPlacement Placement(Dictionary<string, double> offeredHere) =>
        new(Self, new Dictionary<string, double>(offeredHere) { [Resources.Cpu] = 8 }, cpusPerWorker: 1, _view);

    private static PeerResources Peer(ulong node, double cpusUsed, double ssdUsed) =>
        new(node, new Dictionary<string, double> { [Resources.Cpu] = 8, ["ssd"] = 1 }, new Dictionary<string, double> { [Resources.Cpu] = cpusUsed, ["ssd"] = ssdUsed });

    private static Demand SsdTask() => Demand.Of(StoreHarness.Task() with { Resources = new Dictionary<string, double>(OneSsd) });
}
