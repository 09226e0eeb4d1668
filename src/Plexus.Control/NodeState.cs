namespace Plexus.Control;

/// <summary>A node's membership state as the control service sees it.</summary>
internal enum NodeState
{
    /// <summary>Registered and heartbeating.</summary>
    Alive,

    /// <summary>Timed out or unregistered. It can come back only by registering again.</summary>
    Dead,
}
