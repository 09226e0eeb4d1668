namespace Plexus.ClusterHosting;

/// <summary>The cluster's status could not be read: the head did not answer or refused the token, or `plexus status --json` failed or printed something that is not its document. The message says why, with the command's output.</summary>
internal sealed class ClusterStatusException(string message, Exception? inner = null) : Exception(message, inner);
