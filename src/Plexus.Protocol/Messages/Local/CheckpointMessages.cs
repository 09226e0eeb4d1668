using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A worker gives its node the state of an actor it hosts, to keep for the actor's restarts
/// (answered by <see cref="CheckpointSaved"/>). A checkpoint replaces the one kept only when it is
/// newer: a later <see cref="Incarnation"/>, or more <see cref="CallsApplied"/> in the same one.
/// </summary>
[MemoryPackable]
internal sealed partial class SaveCheckpoint : Message
{
    public required TaskId Actor { get; init; }
    /// <summary>The incarnation that saved it (<see cref="HostActor.Incarnation"/>).</summary>
    public long Incarnation { get; init; }
    /// <summary>Calls this incarnation had completed when it saved the state.</summary>
    public long CallsApplied { get; init; }
    /// <summary>The state, as the actor's <c>IActorCheckpoint</c> returned it, serialized.</summary>
    public required byte[] State { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(State, "SaveCheckpoint.State");
}

/// <summary>The node's answer to <see cref="SaveCheckpoint"/>: kept, or why not.</summary>
[MemoryPackable]
internal sealed partial class CheckpointSaved : Message, IReply
{
    /// <summary>Why the checkpoint was not kept, as a sentence for the user; null when it was.</summary>
    public string? Error { get; init; }
}
