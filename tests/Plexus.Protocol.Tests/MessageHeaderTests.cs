using System.Buffers;
using Plexus.Protocol.Messages;

namespace Plexus.Protocol.Tests;

/// <summary>Every message carries its envelope (target, source, request id) through the codec, and checks its own fields.</summary>
public sealed class MessageHeaderTests
{
    private static readonly ProcessAddress Owner = new(0xA11CE, 3);
    private static readonly ProcessAddress Requester = new(0xB0B, 0);

    [Fact]
    public void TheHeaderSurvivesTheCodecWithTheBody()
    {
        var id = new ObjectId(TaskId.Root(JobId.NewRandom()).Child(7), 1);
        var sent = new GetObject { Target = Owner, Source = Requester, RequestId = 42, Object = id };

        var received = Assert.IsType<GetObject>(RoundTrip(sent));

        Assert.Equal(Owner, received.Target);
        Assert.Equal(Requester, received.Source);
        Assert.Equal(42, received.RequestId);
        Assert.Equal(id, received.Object);
    }

    [Fact]
    public void AMessageToANodeNamesTheNodesReservedProcess()
    {
        var sent = new CollectDone { Target = ProcessAddress.NodeOf(0xA11CE), Source = Owner, Round = 5 };

        var received = Assert.IsType<CollectDone>(RoundTrip(sent));

        Assert.True(received.Target.IsNode);
        Assert.Equal(0xA11CEUL, received.Target.Node);
        Assert.False(received.Source.IsNode);
    }

    [Fact]
    public void AMessageMissingAFieldItsReceiverReliesOnFailsValidation()
    {
        var decoded = RoundTrip(new ObjectsDescribed { Target = Requester, Source = Owner, RequestId = 1, Objects = null! });

        var violation = Assert.Throws<ProtocolViolationException>(decoded.Validate);
        Assert.Contains("ObjectsDescribed.Objects", violation.Message, StringComparison.Ordinal);
        Assert.Throws<ProtocolViolationException>(new CreateObject { Object = default, Size = -1, Owner = Owner }.Validate);
        new CreateObject { Object = default, Size = 0, Owner = Owner }.Validate();
    }

    [Fact]
    public void ArgumentsLostCarriesTheTaskItsArgumentsAndAttemptAndNeedsOneArgument()
    {
        var task = TaskId.Root(JobId.NewRandom()).Child(3);
        var arg = new ObjectId(task.Child(1), 1);
        var sent = new ArgumentsLost { Target = Owner, Source = ProcessAddress.NodeOf(0xB0B), Task = task, Objects = [arg], Attempt = 2 };

        var received = Assert.IsType<ArgumentsLost>(RoundTrip(sent));

        received.Validate();
        Assert.Equal(task, received.Task);
        Assert.Equal([arg], received.Objects);
        Assert.Equal(2, received.Attempt);
        Assert.Throws<ProtocolViolationException>(new ArgumentsLost { Task = task, Objects = [] }.Validate);
        Assert.Throws<ProtocolViolationException>(RoundTrip(new ArgumentsLost { Task = task, Objects = null! }).Validate);
    }

    [Fact]
    public void AReadAfterALossNamesTheNodeItFoundUnreachable()
    {
        var id = new ObjectId(TaskId.Root(JobId.NewRandom()).Child(7), 1);

        var received = Assert.IsType<GetObject>(RoundTrip(new GetObject { Target = Owner, Source = Requester, Object = id, LostAt = 0xDEAD }));

        Assert.Equal(0xDEADUL, received.LostAt);
    }

    private static Message RoundTrip(Message message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MessageCodec.Instance.Write(buffer, message);
        return MessageCodec.Instance.Read(new ReadOnlySequence<byte>(buffer.WrittenMemory));
    }
}
