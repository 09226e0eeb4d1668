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

    /// <summary>
    /// The sending node held this named actor and reserved its name (pending): the hosting node
    /// creates it at once, since the calls that waited with it come right behind, and its
    /// registration of the name moves the reservation there. False for an actor without a name.
    /// </summary>
    public bool NameReserved { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Create, "ForwardActor.Create");
        Create.Validate();
    }
}

/// <summary>
/// Where an actor lives, told by the node that passed on a call to it (the actor's home node) to
/// the caller's node, which from then on sends that actor's calls there itself, and knows which
/// of its calls in flight a lost node takes with it.
/// </summary>
[MemoryPackable]
internal sealed partial class ActorLocated : Message
{
    public required TaskId Actor { get; init; }

    /// <summary>The node hosting it.</summary>
    public required ulong Node { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
    }
}
