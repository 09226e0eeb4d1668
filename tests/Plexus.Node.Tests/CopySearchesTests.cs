using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>A search for copies ends when every peer asked has answered or is gone, or at its deadline, with where each copy was found.</summary>
public sealed class CopySearchesTests
{
    private static readonly ObjectId First = TestNode.NewId();
    private static readonly ObjectId Second = TestNode.NewId();

    [Fact]
    public void ASearchEndsWhenTheLastPeerAnswersWithWhatEachFound()
    {
        var searches = new CopySearches();
        var search = searches.Start(requester: 3, requestId: 42, peers: [10, 11], foundHere: new() { [First] = 1 });

        Assert.Null(searches.Answered(search.Id, 10, [Second]));
        var ended = searches.Answered(search.Id, 11, [First, Second]);

        Assert.NotNull(ended);
        var answer = ended.Answer();
        Assert.Equal(42, answer.RequestId);
        Assert.Equal([new ObjectLocation(First, 1), new ObjectLocation(Second, 10)], answer.Found.OrderBy(f => f.Node));
        Assert.Null(searches.Take(search.Id));
    }

    [Fact]
    public void APeerLostOrSilentDoesNotHoldASearchBack()
    {
        var searches = new CopySearches();
        var lost = searches.Start(requester: 3, requestId: 1, peers: [10, 11], foundHere: []);
        var silent = searches.Start(requester: 3, requestId: 2, peers: [12], foundHere: []);
        searches.Answered(lost.Id, 10, []);

        Assert.Equal([lost], searches.PeerLost(11));
        Assert.Same(silent, searches.Take(silent.Id)); // its deadline
        Assert.Null(searches.Answered(silent.Id, 12, [First]));
    }

    [Fact]
    public void AnAnswerFromAPeerNotAskedIsIgnored()
    {
        var searches = new CopySearches();
        var search = searches.Start(requester: 3, requestId: 1, peers: [10], foundHere: []);

        Assert.Null(searches.Answered(search.Id, 99, [First]));
        Assert.Empty(searches.Answered(search.Id, 10, [])!.Answer().Found);
    }
}
