using System.Buffers;

namespace Plexus.Protocol.Framing;

/// <summary>
/// Turns messages into frame bodies and back: what a <see cref="FrameConnection{TMessage}"/>
/// carries is decided by its codec alone.
/// </summary>
internal interface IFrameCodec<TMessage>
    where TMessage : class
{
    /// <summary>Writes <paramref name="message"/> as one frame body (at least one byte).</summary>
    void Write(IBufferWriter<byte> body, TMessage message);

    /// <summary>
    /// Reads one frame body. Throws <see cref="MalformedFrameException"/> when the bytes are not a
    /// message (the connection is then closed).
    /// </summary>
    TMessage Read(in ReadOnlySequence<byte> body);
}
