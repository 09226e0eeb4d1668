using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

public sealed class OutboxTests
{
    [Fact]
    public void OneLinkThatFailsLosesNoOtherMessageAndItsFailureIsThrownAfterwards()
    {
        var before = new StoreHarness.RecordingLink(1);
        var after = new StoreHarness.RecordingLink(3);
        var ran = false;
        var outbox = new Outbox(_ => null);
        outbox.Add(before, new Shutdown());
        outbox.Add(new FailingLink(new InvalidOperationException("too large")), new Shutdown());
        outbox.Add(new FailingLink(new ConnectionClosedException("gone")), new Shutdown());
        outbox.Add(after, new Shutdown());
        outbox.Defer(() => ran = true);

        var error = Assert.Throws<InvalidOperationException>(outbox.Flush);

        Assert.Equal("too large", error.Message);
        Assert.Single(before.Received);
        Assert.Single(after.Received);
        Assert.True(ran, "the deferred work did not run");
    }

    [Fact]
    public void MessagesForOneLinkLeaveInTheOrderTheyWereDecidedWhicheverOutboxFlushesFirst()
    {
        // Two steps under the node's lock, one after the other: the first places an actor on a
        // worker, the second routes a call to it. Their threads then flush in the other order.
        var worker = new StoreHarness.RecordingLink(2);
        var placing = new Outbox(_ => worker);
        var routing = new Outbox(_ => worker);
        placing.Add(2, new Shutdown { RequestId = 1 });
        routing.Add(2, new Shutdown { RequestId = 2 });

        routing.Flush();
        placing.Flush();

        Assert.Equal([1L, 2L], worker.Received.Select(m => m.RequestId));
    }

    private sealed class FailingLink(Exception error) : IMessageLink
    {
        public LinkSendQueue Queued { get; } = new();

        public void Send(Message message) => throw error;
    }
}
