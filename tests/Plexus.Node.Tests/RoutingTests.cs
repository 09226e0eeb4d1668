using System.Collections.Concurrent;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>How the node routes the ownership messages between the runtimes on it.</summary>
public sealed class RoutingTests
{
    [Fact]
    public async Task RefUpdateFromAProcessSpeakingForAnotherIsAProtocolViolation()
    {
        await using var test = new TestNode();
        var send = test.Node.AttachDriver(_ => { });
        var driver = new ProcessAddress(test.Node.NodeId, ProcessAddress.DriverProcess);
        var forged = new RefUpdate { Target = driver, Source = new ProcessAddress(test.Node.NodeId, 7) };

        // A worker's connection ends on this exception (and only that connection).
        Assert.Throws<ProtocolViolationException>(() => send(forged));
        Assert.Throws<ProtocolViolationException>(() => test.Node.ValidateSender(3, new ProcessAddress(test.Node.NodeId + 2, 3), "From"));
        test.Node.ValidateSender(3, new ProcessAddress(test.Node.NodeId, 3), "From");
    }

    [Fact]
    public async Task AProcessCannotHaveTheRouterPassOnAMessageOnlyTheNodeSends()
    {
        await using var test = new TestNode();
        var received = new ConcurrentQueue<Message>();
        var send = test.Node.AttachDriver(received.Enqueue);
        var driver = new ProcessAddress(test.Node.NodeId, ProcessAddress.DriverProcess);
        // A store's answer, addressed to a process: only the node may say where an object's bytes are.
        var forged = new PinReply { Target = driver, Source = driver, RequestId = 1, Found = true };

        Assert.Throws<ProtocolViolationException>(() => send(forged));
        Assert.Empty(received);
    }

    [Fact]
    public async Task RefUpdateIsDeliveredToItsOwner()
    {
        await using var test = new TestNode();
        var received = new ConcurrentQueue<Message>();
        var send = test.Node.AttachDriver(received.Enqueue);
        var driver = new ProcessAddress(test.Node.NodeId, ProcessAddress.DriverProcess);
        var update = new RefUpdate { Target = driver, Source = driver, Released = [new ReleasedRef(TestNode.NewId(), 1)] };

        send(update);

        Assert.Same(update, Assert.Single(received));
    }

    [Fact]
    public async Task ARequestToAProcessThatIsNotThereIsAnsweredFailedAtOnce()
    {
        await using var test = new TestNode();
        var received = new ConcurrentQueue<Message>();
        var send = test.Node.AttachDriver(received.Enqueue);
        var driver = new ProcessAddress(test.Node.NodeId, ProcessAddress.DriverProcess);
        var absent = new ProcessAddress(test.Node.NodeId, 9);

        send(new DescribeObjects { RequestId = 42, Source = driver, Target = absent });

        // The runtime reads this as "owns nothing" for a describe, as OwnerDiedException for a fetch.
        var answer = Assert.IsType<RequestFailed>(Assert.Single(received));
        Assert.Equal(42, answer.RequestId);
        Assert.Equal(driver, answer.Target);
        Assert.Equal(absent, answer.Source);
        Assert.Equal(ErrorKind.OwnerDied, answer.Error.Kind);
    }
}
