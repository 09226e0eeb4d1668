namespace Plexus.Cluster;

/// <summary>
/// The node's metrics port could not be bound: another process uses it, or the address is not
/// this machine's. An <see cref="IOException"/>, as for the node's other addresses: <c>plexus
/// start</c> reports it and exits with failure.
/// </summary>
internal sealed class MetricsPortUnavailableException(string message, Exception inner) : IOException(message, inner);
