namespace Plexus.Control;

/// <summary>Why the control service marked a node DEAD.</summary>
internal enum NodeDeathCause
{
    /// <summary>The node sent no heartbeat for the heartbeat timeout (<c>ControlServerOptions.HeartbeatTimeout</c> on a head node).</summary>
    HeartbeatTimeout,

    /// <summary>The node left gracefully through <see cref="ControlClient.UnregisterNodeAsync"/>.</summary>
    Unregistered,

    /// <summary>
    /// Peers reported their links to it lost: it was silent for two heartbeat intervals (killed), or
    /// one of the two ends of a link that stayed broken between live nodes (fenced).
    /// </summary>
    Unreachable,
}
