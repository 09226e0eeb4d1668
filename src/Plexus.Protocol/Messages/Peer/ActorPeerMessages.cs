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
