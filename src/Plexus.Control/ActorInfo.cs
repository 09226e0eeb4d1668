namespace Plexus.Control;

/// <summary>One actor of the cluster, as its hosting node registered it with the control service.</summary>
internal sealed class ActorInfo
{
    /// <summary>The actor's id: its job's 16 bytes, then its 8-byte path (<see cref="ControlIds.Actor"/>).</summary>
    public required byte[] ActorId { get; init; }

    /// <summary>The job that created it.</summary>
    public required byte[] JobId { get; init; }

    /// <summary>The namespace its name lives in.</summary>
    public required string Namespace { get; init; }

    /// <summary>Its name, unique among the live actors of <see cref="Namespace"/>; null when it has none.</summary>
    public string? Name { get; init; }

    /// <summary>The full name of its class.</summary>
    public required string ClassName { get; init; }

    /// <summary>Whether it outlives its creator and its job.</summary>
    public required bool Detached { get; init; }

    /// <summary>The node hosting it, or holding it while it is pending (<see cref="ControlIds.Node"/>).</summary>
    public required byte[] NodeId { get; init; }

    /// <summary>The node of the process that created it.</summary>
    public required byte[] OwnerNodeId { get; init; }

    /// <summary>The number of the process that created it, on <see cref="OwnerNodeId"/>.</summary>
    public required int OwnerProcess { get; init; }

    /// <summary>
    /// Alive, pending (held by <see cref="NodeId"/> for a node that can host it), or dead
    /// (<see cref="DeathReason"/> says why). When registering, <see cref="ActorState.Pending"/>
    /// registers a held actor; anything else registers it alive.
    /// </summary>
    public ActorState State { get; init; } = ActorState.Alive;

    /// <summary>Why it is dead; null while it lives.</summary>
    public string? DeathReason { get; init; }

    /// <summary>Why it is dead, as an <c>ActorDeathCause</c>; 0 when not known or while it lives.</summary>
    public int DeathCause { get; init; }

    /// <summary>How many times it is built again after it dies: -1 without limit, 0 never.</summary>
    public int MaxRestarts { get; init; }

    /// <summary>Which life of it is alive (or being built, while restarting): 0 until its first restart.</summary>
    public long Incarnation { get; init; }

    /// <summary>A restartable actor's spec as nodes encode it, so any node can build it again; null for the others.</summary>
    public byte[]? Spec { get; init; }

    /// <summary>What a node must offer to host it, by resource name (CPU, GPU, custom ones); empty for nothing.</summary>
    public IReadOnlyDictionary<string, double> Demand { get; init; } = new Dictionary<string, double>();

    /// <inheritdoc />
    public override string ToString() =>
        $"Actor {Convert.ToHexStringLower(ActorId)} ({ClassName}, '{Name}' in '{Namespace}') on node {Convert.ToHexStringLower(NodeId)}: {State}";
}
