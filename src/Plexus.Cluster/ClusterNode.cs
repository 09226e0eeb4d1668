using Microsoft.Extensions.Logging;

namespace Plexus.Cluster;

/// <summary>
/// One running node of a cluster: its node daemon (listening on TCP for peers), registered with the
/// head's control service, and on the head that service itself. Disposing it leaves the cluster
/// gracefully (no new work; the node unregisters) and stops its workers.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private ClusterNode()
    {
    }

    /// <summary>The head's control address, <c>host:port</c>: what drivers and joining nodes are given.</summary>
    public string ControlAddress { get; private init; } = "";

    /// <summary>Where this node's daemon listens for peers, <c>tcp:host:port</c>.</summary>
    public string NodeAddress { get; private init; } = "";

    /// <summary>This node's id.</summary>
    public ulong NodeId { get; private init; }

    /// <summary>Completes when the node stops on its own (a fatal failure); faulted with the cause.</summary>
    public Task Stopped { get; private init; } = Task.CompletedTask;

    /// <summary>
    /// Starts the node and returns once it serves: on the head, the control service; everywhere,
    /// the daemon registered with the head. Throws <see cref="ArgumentException"/> for bad
    /// settings, <see cref="IOException"/> when an address is in use, and
    /// <c>ControlServiceUnavailableException</c> when the head cannot be reached.
    /// </summary>
    public static Task<ClusterNode> StartAsync(ClusterNodeSettings settings, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
