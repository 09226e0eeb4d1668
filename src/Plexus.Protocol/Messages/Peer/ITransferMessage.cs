namespace Plexus.Protocol.Messages;

/// <summary>
/// A message of the object transfer between nodes (pulls, chunks, copies dropped): one node's to
/// another, never forwarded; the receiving node hands every one to its transfers.
/// </summary>
internal interface ITransferMessage;
