namespace Plexus.Protocol.Framing;

/// <summary>A peer sent bytes that are not a valid frame: the connection is closed, nothing else is harmed.</summary>
public sealed class MalformedFrameException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A message was sent on a connection that is already closed.</summary>
public sealed class ConnectionClosedException(string message) : Exception(message);

/// <summary>A message too large for one frame; it was not sent.</summary>
public sealed class FrameTooLargeException(string message) : Exception(message);
