namespace Plexus;

public sealed partial class PlexusRuntime
{
    /// <summary>
    /// The live nodes of the cluster this driver runs on, with what each offers, in the order they
    /// joined (a driver's own node that runs no work is not listed). An embedded cluster is its one
    /// node. For placing work by node (for instance reading files where they are) and sizing it to
    /// the cluster's CPUs and stores.
    /// </summary>
    /// <exception cref="NotSupportedException">Called inside a task or an actor, or by a program joined through <see cref="ConnectAsync(ClusterAddress, PlexusOptions?, CancellationToken)"/>: only a driver that started or joined the cluster lists it.</exception>
    /// <exception cref="InvalidOperationException">The cluster's head cannot be reached.</exception>
    public Task<IReadOnlyList<ClusterNodeInfo>> GetNodesAsync(CancellationToken cancellationToken = default) =>
        _cluster?.GetNodesAsync(Core.Address.Node, cancellationToken)
        ?? throw new NotSupportedException("Only a driver lists the cluster's nodes: inside a task or an actor, pass what it needs as arguments.");
}
