namespace Plexus.Node.Tests;

/// <summary>Who serves a pull of an object with copies, and who is told when it is freed: the logic alone, without nodes.</summary>
public sealed class CopyHoldersTests
{
    private const ulong A = 0xA1, B = 0xB1, C = 0xC1;
    private static readonly ObjectId Id = TestNode.NewId();

    [Fact]
    public void AnObjectWithNoCopyIsServedByItsPrimary()
    {
        var holders = new CopyHolders();

        Assert.Null(holders.ChooseServer(Id, B, _ => true));
    }

    [Fact]
    public void ACopyBeingWrittenServesTheNextPullAndTheOneAfterChainsOnTheNewPuller()
    {
        var holders = new CopyHolders();
        // A pulls first: nobody holds a copy yet, so the primary serves it, and A counts from then on.
        Assert.Null(holders.ChooseServer(Id, A, _ => true));
        holders.Add(Id, A);

        var forB = holders.ChooseServer(Id, B, _ => true);
        holders.Add(Id, B);
        var forC = holders.ChooseServer(Id, C, _ => true);

        Assert.Equal(A, forB);
        Assert.Equal(B, forC);
    }

    [Fact]
    public void PullsGoInTurnToThePrimaryAndEachCopyLeastRecentlyAssignedFirst()
    {
        var holders = new CopyHolders();
        holders.Add(Id, A);
        holders.Add(Id, B);

        var servers = Enumerable.Range(0, 6).Select(_ => holders.ChooseServer(Id, C, _ => true)).ToList();

        // Each of the three serves every third pull: no one serves twice before the others once.
        Assert.Equal(3, servers.Take(3).Distinct().Count());
        Assert.Equal(servers.Take(3), servers.Skip(3));
    }

    [Fact]
    public void APullIsNeverSentToThePullerItselfNorToACopyItCannotReach()
    {
        var holders = new CopyHolders();
        holders.Add(Id, A);
        holders.Add(Id, B);

        Assert.Null(holders.ChooseServer(Id, A, node => node != B));
    }

    [Fact]
    public void ADroppedCopyIsNoLongerChosenAndFreeingTellsTheHoldersLeft()
    {
        var holders = new CopyHolders();
        holders.Add(Id, A);
        holders.Add(Id, B);
        holders.Remove(Id, A);

        Assert.Equal(B, holders.ChooseServer(Id, C, _ => true));
        Assert.Equal([B], holders.Forget(Id));
        Assert.Empty(holders.Forget(Id));
    }

    [Fact]
    public void ALostPeerIsForgottenAsAHolder()
    {
        var holders = new CopyHolders();
        holders.Add(Id, A);

        holders.ForgetPeer(A);

        Assert.Null(holders.ChooseServer(Id, C, _ => true));
        Assert.Empty(holders.Forget(Id));
    }
}
