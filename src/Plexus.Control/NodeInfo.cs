namespace Plexus.Control;

/// <summary>One node of the cluster, as listed by <see cref="ControlClient.ListNodesAsync"/>.</summary>
internal sealed class NodeInfo
{
    /// <summary>The id the node registered with.</summary>
    public required byte[] NodeId { get; init; }

    /// <summary>Where the node daemon listens.</summary>
    public required string Address { get; init; }

    /// <summary>Process id of the node daemon.</summary>
    public required int Pid { get; init; }

    /// <summary>Total resources the node offers, e.g. <c>CPU = 8</c>.</summary>
    public required IReadOnlyDictionary<string, double> Resources { get; init; }

    /// <summary>Resource usage from the node's latest heartbeat (empty before the first one that reported any).</summary>
    public required IReadOnlyDictionary<string, double> ResourceUsage { get; init; }

    /// <summary>Work queued at the node that no node of the cluster can run, one line each (from its latest heartbeat).</summary>
    public IReadOnlyList<string> Infeasible { get; init; } = [];

    /// <summary>ALIVE or DEAD.</summary>
    public required NodeState State { get; init; }

    /// <summary>Time since the service last heard from the node, as of the listing.</summary>
    public required TimeSpan LastHeartbeatAge { get; init; }

    /// <summary>Why the node is DEAD; null while it is ALIVE.</summary>
    public string? DeathReason { get; init; }

    /// <summary>The node daemon's incarnation, drawn at each daemon start (its node id); 0 when it registered none.</summary>
    public ulong Incarnation { get; init; }

    /// <summary>When the node (last) registered.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"Node {Convert.ToHexStringLower(NodeId)} at {Address} (pid {Pid}): {State}, last heartbeat {LastHeartbeatAge.TotalMilliseconds:0} ms ago";
}
