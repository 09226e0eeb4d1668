namespace Plexus.Protocol.Transport;

/// <summary>
/// An endpoint could not be listened on or connected to (taken, unreachable, nothing listening);
/// the message names the endpoint and the system's reason.
/// </summary>
internal sealed class TransportException(string message, Exception? inner = null) : Exception(message, inner);
