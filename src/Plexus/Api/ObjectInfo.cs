namespace Plexus;

/// <summary>Whether an object exists yet.</summary>
public enum ObjectState
{
    /// <summary>The task that makes it has not finished (or its value is not known here yet).</summary>
    Pending,
    /// <summary>The value exists.</summary>
    Ready,
    /// <summary>The task that should make it failed; reading raises the failure.</summary>
    Failed,
    /// <summary>The object was freed or its owner died.</summary>
    Lost,
}

/// <summary>Where an object's bytes are.</summary>
public enum ObjectPlacement
{
    /// <summary>Not known yet.</summary>
    Unknown,
    /// <summary>Small: kept by its owner and carried inline in messages.</summary>
    Inline,
    /// <summary>Large: in the node's shared-memory store, readable in place.</summary>
    SharedMemory,
}

/// <summary>A snapshot of what a process knows about an object, without fetching it.</summary>
/// <param name="Id">The object's id.</param>
/// <param name="Owner">The runtime that owns it.</param>
/// <param name="State">Whether it exists yet.</param>
/// <param name="SizeBytes">Its encoded size once ready.</param>
/// <param name="Placement">Where its bytes are.</param>
public sealed record ObjectInfo(ObjectId Id, ProcessAddress Owner, ObjectState State, long SizeBytes, ObjectPlacement Placement);
