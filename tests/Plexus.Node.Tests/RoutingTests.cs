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
        var forged = new RefUpdate { Owner = driver, From = new ProcessAddress(test.Node.NodeId, 7) };

        // A worker's connection ends on this exception (and only that connection).
        Assert.Throws<ProtocolViolationException>(() => send(forged));
        Assert.Throws<ProtocolViolationException>(() => test.Node.ValidateSender(3, new ProcessAddress(test.Node.NodeId + 2, 3), "From"));
        test.Node.ValidateSender(3, new ProcessAddress(test.Node.NodeId, 3), "From");
    }

    [Fact]
    public async Task RefUpdateIsDeliveredToItsOwner()
    {
        await using var test = new TestNode();
        var received = new ConcurrentQueue<Message>();
        var send = test.Node.AttachDriver(received.Enqueue);
        var driver = new ProcessAddress(test.Node.NodeId, ProcessAddress.DriverProcess);
        var update = new RefUpdate { Owner = driver, From = driver, Released = [new ReleasedRef(TestNode.NewId(), 1)] };

        send(update);

        Assert.Same(update, Assert.Single(received));
    }

    [Fact]
    public async Task DescribeObjectsOfAProcessThatIsNotThereIsAnsweredEmptyAtOnce()
    {
        await using var test = new TestNode();
        var received = new ConcurrentQueue<Message>();
        var send = test.Node.AttachDriver(received.Enqueue);
        var driver = new ProcessAddress(test.Node.NodeId, ProcessAddress.DriverProcess);

        send(new DescribeObjects { RequestId = 42, Requester = driver, Target = new ProcessAddress(test.Node.NodeId, 9) });

        var answer = Assert.IsType<ObjectsDescribed>(Assert.Single(received));
        Assert.Equal(42, answer.RequestId);
        Assert.Empty(answer.Objects);
    }
}
