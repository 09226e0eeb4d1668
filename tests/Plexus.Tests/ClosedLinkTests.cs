using Plexus.Core;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;

namespace Plexus.Tests;

/// <summary>
/// A runtime whose link to its node has closed, before its receive loop has seen it: what it still
/// sends (answers, collection rounds) fails as a shut-down runtime, never with the transport's own
/// exception, which background callers do not expect and which would end the process.
/// </summary>
public sealed class ClosedLinkTests
{
    private static readonly JobId Job = new(1, 2);

    private static CoreRuntime RuntimeOverClosedLink() =>
        new(Job, new ProcessAddress(7, 3), 1024, _ => throw new ConnectionClosedException("The connection to the peer is closed."), (_, _) => null!, CapabilityKey.FromClusterToken("test"));

    [Fact]
    public void ASendOverAClosedLinkFailsAsAShutDownRuntime()
    {
        var runtime = RuntimeOverClosedLink();

        var failure = Assert.Throws<ObjectDisposedException>(() => runtime.SendTo(new ProcessAddress(7, 4), new CollectDone { Round = 1 }));

        Assert.IsType<ConnectionClosedException>(failure.InnerException);
    }

    [Fact]
    public void AnAnswerThatCannotBeSentOverAClosedLinkIsDroppedQuietly()
    {
        var runtime = RuntimeOverClosedLink();

        // Answered from the receive loop (or a background round): it must not throw into it.
        runtime.Deliver(new DescribeObjects { RequestId = 5, Source = new ProcessAddress(7, 4), Target = runtime.Address });
    }
}
