using System.Buffers;
using MemoryPack;
using Plexus.Protocol.Framing;

namespace Plexus.Protocol.Messages;

/// <summary>The node protocol's frame bodies: a <see cref="Message"/> union serialized by MemoryPack.</summary>
internal sealed class MessageCodec : IFrameCodec<Message>
{
    private MessageCodec()
    {
    }

    /// <summary>The codec (it holds no state).</summary>
    public static MessageCodec Instance { get; } = new();

    /// <inheritdoc />
    public void Write(IBufferWriter<byte> body, Message message) => MemoryPackSerializer.Serialize(body, message);

    /// <inheritdoc />
    public Message Read(in ReadOnlySequence<byte> body)
    {
        try
        {
            return MemoryPackSerializer.Deserialize<Message>(body)
                ?? throw new MalformedFrameException("A frame decoded to no message.");
        }
        catch (Exception e) when (e is not MalformedFrameException and not OutOfMemoryException)
        {
            // MemoryPack reports bad input with several exception types; all mean the same here.
            throw new MalformedFrameException($"A frame could not be decoded: {e.Message}", e);
        }
    }
}
