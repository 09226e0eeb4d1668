namespace Plexus.Control;

/// <summary>The control service's answer to <see cref="ControlClient.RegisterNodeAsync"/>.</summary>
internal sealed class NodeRegistration
{
    /// <summary>True when the node is now ALIVE in the cluster.</summary>
    public required bool Accepted { get; init; }

    /// <summary>How often the node must heartbeat to stay ALIVE.</summary>
    public required TimeSpan HeartbeatInterval { get; init; }

    /// <summary>Why the registration was refused (e.g. a live node already holds the id); null when accepted.</summary>
    public string? RejectReason { get; init; }

    /// <summary>
    /// True when the id was declared DEAD: it is never admitted again, so the node must stop what it
    /// runs (the cluster counts it all as dead) and rejoin as a new node, under a new id.
    /// </summary>
    public bool Fenced { get; init; }
}
