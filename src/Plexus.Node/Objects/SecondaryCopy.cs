using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// What a secondary copy in this node's store is a copy of: the object's primary node (which
/// frees it with <see cref="DropCopies"/>) and owner. <paramref name="Evicted"/> is called under
/// the node's lock when store pressure evicts the copy, so the primary stops sending pulls to it.
/// </summary>
internal sealed record SecondaryCopy(ulong Primary, ProcessAddress Owner, Action<Outbox> Evicted);
