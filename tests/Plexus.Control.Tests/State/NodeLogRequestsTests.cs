using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests.State;

public sealed class NodeLogRequestsTests
{
    private const ulong Node = 7;

    [Fact]
    public async Task AReadWaitsForItsNodeToTakeAndAnswerIt()
    {
        var requests = new NodeLogRequests(TimeProvider.System);
        var taking = requests.TakeAsync(Node, TimeSpan.FromSeconds(10), CancellationToken.None);

        var reading = requests.ReadAsync(Node, "worker-12.log", -100, 4096, CancellationToken.None);
        var taken = Assert.Single(await taking);
        requests.Answer(Node, taken.RequestId, new Proto.ReadNodeLogReply { Offset = 5, Size = 9 }, error: null);

        Assert.Equal(("worker-12.log", -100L, 4096), (taken.File, taken.Offset, taken.MaxBytes));
        Assert.Equal(9, (await reading).Size);
    }

    [Fact]
    public async Task TheNodesErrorReachesTheReader()
    {
        var requests = new NodeLogRequests(TimeProvider.System);
        var reading = requests.ReadAsync(Node, "nope.log", 0, 10, CancellationToken.None);
        var taken = Assert.Single(await requests.TakeAsync(Node, TimeSpan.FromSeconds(10), CancellationToken.None));

        requests.Answer(Node, taken.RequestId, reply: null, "There is no log file nope.log");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => reading);
        Assert.Contains("There is no log file nope.log", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReadOfANodeThatLeftFails()
    {
        var requests = new NodeLogRequests(TimeProvider.System);
        var reading = requests.ReadAsync(Node, "node-1.log", 0, 10, CancellationToken.None);

        requests.NodeGone(Node);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => reading);
        Assert.Contains("left the cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATakeWithNothingAskedEndsEmptyAfterItsWait()
    {
        var requests = new NodeLogRequests(TimeProvider.System);

        Assert.Empty(await requests.TakeAsync(Node, TimeSpan.FromMilliseconds(10), CancellationToken.None));
    }
}
