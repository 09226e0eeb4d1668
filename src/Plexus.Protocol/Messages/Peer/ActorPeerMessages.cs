using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A node hands the creation of an actor to the node chosen to host it (it offers the resources
/// the actor asks, or the actor is bound to it). The hosting node answers the creator directly.
/// </summary>
[MemoryPackable]
internal sealed partial class ForwardActor : Message
{
    public required CreateActor Create { get; init; }

    /// <summary>The job package whose code hosts it; null when the sending node runs none.</summary>
    public string? Package { get; init; }

    /// <summary>The driver of the actor's job (see <see cref="ForwardTask.Driver"/>).</summary>
    public ProcessAddress? Driver { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Create, "ForwardActor.Create");
        Create.Validate();
    }
}

/// <summary>A node asks a peer for the live actor of a name (a lookup its own runtimes could not answer).</summary>
[MemoryPackable]
internal sealed partial class FindActor : Message
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Name, "FindActor.Name");
        ProtocolViolationException.ThrowIfNull(Namespace, "FindActor.Namespace");
    }
}

/// <summary>A peer's answer to <see cref="FindActor"/>: the actor, or null when it hosts none of that name.</summary>
[MemoryPackable]
internal sealed partial class ActorFound : Message
{
    public ActorSpec? Spec { get; init; }
}
