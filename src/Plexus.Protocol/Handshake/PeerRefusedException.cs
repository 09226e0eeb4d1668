namespace Plexus.Protocol.Handshake;

/// <summary>
/// Why the accepting side refused a peer; the peer was told and its connection closed. Thrown on
/// the accepting side, for its log.
/// </summary>
internal sealed class PeerRefusedException(string message) : Exception(message);
