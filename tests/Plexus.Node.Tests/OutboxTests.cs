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

    private sealed class FailingLink(Exception error) : IMessageLink
    {
        public void Send(Message message) => throw error;
    }
}
