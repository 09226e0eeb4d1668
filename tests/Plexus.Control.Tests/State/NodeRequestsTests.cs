using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests.State;

public sealed class NodeRequestsTests
{
    private const ulong Node = 7;
    private const ulong OtherNode = 8;

    [Fact]
    public async Task AReadWaitsForItsNodeToTakeAndAnswerIt()
    {
        var requests = new NodeRequests(TimeProvider.System);
        var taking = requests.TakeAsync(Node, TimeSpan.FromSeconds(10), CancellationToken.None);

        var reading = requests.ReadLogAsync(Node, new Proto.LogRequest { File = "worker-12.log", Offset = -100, MaxBytes = 4096 }, CancellationToken.None);
        var taken = Assert.Single(await taking);
        requests.Answer(Node, new Proto.AnswerNodeRequestRequest { RequestId = taken.RequestId, Log = new Proto.ReadNodeLogReply { Offset = 5, Size = 9 } });

        Assert.Equal(("worker-12.log", -100L, 4096), (taken.Log.File, taken.Log.Offset, taken.Log.MaxBytes));
        Assert.Equal(9, (await reading).Size);
    }

    [Fact]
    public async Task TheNodesErrorReachesTheReader()
    {
        var requests = new NodeRequests(TimeProvider.System);
        var reading = requests.ReadLogAsync(Node, new Proto.LogRequest { File = "nope.log", MaxBytes = 10 }, CancellationToken.None);
        var taken = Assert.Single(await requests.TakeAsync(Node, TimeSpan.FromSeconds(10), CancellationToken.None));

        requests.Answer(Node, new Proto.AnswerNodeRequestRequest { RequestId = taken.RequestId, Error = "There is no log file nope.log" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => reading);
        Assert.Contains("There is no log file nope.log", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReadOfANodeThatLeftFails()
    {
        var requests = new NodeRequests(TimeProvider.System);
        var reading = requests.ReadLogAsync(Node, new Proto.LogRequest { File = "node-1.log", MaxBytes = 10 }, CancellationToken.None);

        requests.NodeGone(Node);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => reading);
        Assert.Contains("left the cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATakeWithNothingAskedEndsEmptyAfterItsWait()
    {
        var requests = new NodeRequests(TimeProvider.System);

        Assert.Empty(await requests.TakeAsync(Node, TimeSpan.FromMilliseconds(10), CancellationToken.None));
    }

    [Fact]
    public async Task HeldObjectsAreGatheredFromTheNodesThatAnswerAndTheSilentOnesNamed()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var requests = new NodeRequests(time);
        var silent = new List<ulong>();
        var gathering = HeldObjects.GatherAsync(requests, [Node, OtherNode], largest: 5, (node, _) => silent.Add(node), CancellationToken.None);

        var taken = Assert.Single(await requests.TakeAsync(Node, TimeSpan.Zero, CancellationToken.None));
        var answer = new Proto.NodeReferences();
        answer.Processes.Add(new Proto.ProcessReferences { NodeId = NodeKeys.ToBytes(Node), Process = 3, Answered = true });
        requests.Answer(Node, new Proto.AnswerNodeRequestRequest { RequestId = taken.RequestId, References = answer });
        Assert.Equal(5, taken.References.Largest);
        Assert.Single(await requests.TakeAsync(OtherNode, TimeSpan.Zero, CancellationToken.None));
        // The answer reaches its asker on another thread: advancing the clock before it does would time that ask out too.
        await Eventually.TrueAsync(() => requests.Unanswered == 1);
        // The other node never answers: the listing waits no longer than the answer timeout.
        time.Advance(NodeRequests.AnswerTimeout);

        var held = await gathering;
        Assert.Equal([3], held.Processes.Select(p => p.Process));
        Assert.Equal([OtherNode], held.SilentNodes);
        Assert.Equal([OtherNode], silent);
    }
}
