using System.Buffers;
using System.Buffers.Binary;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>
/// A message's payload (an object's chunk) crosses every transport beside its message, whole and in
/// order with other frames; a payload on a message that takes none is a malformed frame.
/// </summary>
public sealed class PayloadFrameTests
{
    private static readonly ObjectId Id = new(TaskId.Root(JobId.NewRandom()).Child(1), 1);

    [Theory]
    [MemberData(nameof(TestEndpoints.Kinds), MemberType = typeof(TestEndpoints))]
    public async Task AChunksPayloadArrivesWithItsMessageBetweenOtherFrames(string kind)
    {
        var (sender, receiver) = await PairAsync(kind);
        await using var sending = MessageConnection.Open(sender);
        await using var receiving = MessageConnection.Open(receiver);
        var payload = new byte[(3 << 20) + 7];
        Random.Shared.NextBytes(payload);
        var received = new List<(Message Message, byte[] Payload)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = receiving.ReceiveAsync(message =>
        {
            // The payload is the transport's buffer: copied while the handler runs.
            received.Add((message, message is IFramePayload carrier ? carrier.Payload.ToArray() : []));
            if (received.Count == 3)
            {
                done.SetResult();
            }
        });

        sending.Send(new PullDone { Object = Id, Complete = false });
        sending.Send(new ObjectChunk { Object = Id, Offset = 4096, Payload = new(payload) });
        sending.Send(new PullDone { Object = Id, Complete = true });
        await done.Task.WaitAsync(TestEndpoints.Patience);

        Assert.IsType<PullDone>(received[0].Message);
        var chunk = Assert.IsType<ObjectChunk>(received[1].Message);
        Assert.Equal(4096, chunk.Offset);
        Assert.Equal(payload, received[1].Payload);
        Assert.True(chunk.Payload.IsEmpty, "the message kept the transport's buffer after its handler returned");
        Assert.True(Assert.IsType<PullDone>(received[2].Message).Complete);
    }

    [Fact]
    public async Task APayloadOnAMessageThatTakesNoneIsMalformed()
    {
        var (sender, receiver) = await PairAsync("mem");
        await using var receiving = MessageConnection.Open(receiver);
        var failure = receiving.ReceiveAsync(_ => { });
        var message = new ArrayBufferWriter<byte>();
        MessageCodec.Instance.Write(message, new PullDone { Object = Id, Complete = true });
        var frame = new byte[8 + message.WrittenCount + 1];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(frame.Length - 4) | FrameBuffer.PayloadFlag);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), message.WrittenCount);
        message.WrittenSpan.CopyTo(frame.AsSpan(8));

        await sender.Output.WriteAsync(frame);

        await Assert.ThrowsAsync<MalformedFrameException>(() => failure.WaitAsync(TestEndpoints.Patience));
        await sender.DisposeAsync();
    }

    private static async Task<(ITransportConnection Sender, ITransportConnection Receiver)> PairAsync(string kind)
    {
        var endpoint = TestEndpoints.Fresh(kind);
        var transport = Transports.For(endpoint);
        await using var listener = await transport.ListenAsync(endpoint);
        var accepting = listener.AcceptAsync();
        var sender = await transport.ConnectAsync(listener.Endpoint);
        return (sender, await accepting);
    }
}
