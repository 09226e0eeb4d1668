namespace Plexus.ClusterHosting;

/// <summary>A node of a test cluster did not start: it exited, or did not serve or join in time. The message carries its output.</summary>
internal sealed class ClusterStartException(string message, Exception? inner = null) : Exception(message, inner);
