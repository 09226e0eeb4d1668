namespace Plexus.Control;

/// <summary>Data of the control service's <c>NodeDied</c> event (<c>ControlServer.NodeDied</c> on a head node): a node was marked DEAD.</summary>
internal sealed class NodeDiedEventArgs : EventArgs
{
    internal NodeDiedEventArgs(byte[] nodeId, string address, NodeDeathCause cause, TimeSpan lastHeartbeatAge)
    {
        NodeId = nodeId;
        Address = address;
        Cause = cause;
        LastHeartbeatAge = lastHeartbeatAge;
    }

    /// <summary>The id the node registered with.</summary>
    public byte[] NodeId { get; }

    /// <summary>The address the node registered with.</summary>
    public string Address { get; }

    /// <summary>Why the node was marked DEAD.</summary>
    public NodeDeathCause Cause { get; }

    /// <summary>How long the node had been silent when it was marked DEAD.</summary>
    public TimeSpan LastHeartbeatAge { get; }
}
