namespace Plexus.Control;

/// <summary>
/// The head's control service could not answer a <see cref="ClusterState"/> query: it is not
/// reachable at the address, did not answer in time, or refused the cluster token. The message
/// says which; check that the head runs, the address, and the token.
/// </summary>
public sealed class ClusterStateUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
