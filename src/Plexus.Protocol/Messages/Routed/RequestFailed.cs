using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// The answer a router gives, in place of the target's, to a request the target can no longer
/// answer: it exited, its node is gone, or there is no route to it. The header carries the
/// request's id back to its source, whose await site turns <see cref="Error"/> into the typed
/// exception (or value) that fits what it asked.
/// </summary>
[MemoryPackable]
internal sealed partial class RequestFailed : Message, IReply, IRouted
{
    public required ErrorInfo Error { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Error, "RequestFailed.Error");
}
