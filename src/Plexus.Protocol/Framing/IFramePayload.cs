using System.Buffers;

namespace Plexus.Protocol.Framing;

/// <summary>
/// A message that carries bulk bytes beside its encoded body: the connection copies them once,
/// straight from where they lie into the frame being queued, and hands them to the receiver as
/// the bytes read off the transport, so the codec never copies them into an array of their own.
/// </summary>
/// <remarks>
/// On the wire such a frame sets the top bit of its length prefix; its body is the message's
/// length (4 bytes, little-endian), the message, then the payload (<see cref="FrameBuffer"/>).
/// </remarks>
internal interface IFramePayload
{
    /// <summary>
    /// Sending: the bytes to send after the message; they are copied as the message is queued, so
    /// they must stay valid and unchanged until the send returns. Receiving: the bytes that came,
    /// set by the connection for the handler's call only (the memory is the transport's buffer,
    /// reused once the handler returns: copy what must outlive it).
    /// </summary>
    ReadOnlySequence<byte> Payload { get; set; }
}
