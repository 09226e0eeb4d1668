namespace Plexus.ClusterHosting;

/// <summary>`plexus status --json` failed, or printed something that is not its document. The message carries its output.</summary>
internal sealed class ClusterStatusException(string message, Exception? inner = null) : Exception(message, inner);
