namespace Plexus.Protocol.Framing;

/// <summary>A peer sent bytes that are not a valid frame: the connection is closed, nothing else is harmed.</summary>
internal sealed class MalformedFrameException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A message was sent on a connection that is already closed.</summary>
internal sealed class ConnectionClosedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A message too large for one frame; it was not sent.</summary>
internal sealed class FrameTooLargeException(string message) : Exception(message);

/// <summary>
/// The peer stopped reading: more than <see cref="FrameConnectionOptions.SendBufferHardLimit"/>
/// bytes waited to be sent, so the connection was closed rather than let memory grow. Thrown by
/// the receive loop of that connection; the peer is stuck or too slow and should be restarted.
/// </summary>
internal sealed class SendBufferOverflowException(string message) : Exception(message);
