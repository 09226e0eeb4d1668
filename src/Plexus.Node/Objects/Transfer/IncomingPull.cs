using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// One object being copied into this node's store from a peer: where from, the range it is written
/// to, which chunks are asked for, and the pins waiting for it. Only touched under the node's lock.
/// </summary>
internal sealed class IncomingPull(ObjectId id, ulong primary)
{
    public ObjectId Id { get; } = id;

    // The node whose value named it: the object's primary, which frees the copy and may redirect the pull.
    public ulong Primary { get; } = primary;

    // The node serving the pull now: the primary, or a copy holder it redirected to.
    public ulong Source { get; set; } = primary;

    // Pins waiting for the copy, called once with null (pin it now) or why the pull failed.
    public List<Action<Outbox, ErrorInfo?>> Waiters { get; } = [];

    // Set once the source said PullStarted: it pins the object for this node until PullDone.
    public bool Started { get; set; }

    public long Size { get; set; }

    public ValueFormat Format { get; set; }

    // The runtime that owns the object, from PullStarted.
    public ProcessAddress Owner { get; set; }

    // The request for room in this node's store while it waits; null once answered.
    public PendingCreate? Room { get; set; }

    // The copy's range in this node's store; -1 until room is granted.
    public long Offset { get; set; } = -1;

    // The start of the next chunk to ask for.
    public long NextChunk { get; set; }

    // Chunks asked for and not answered yet.
    public int InFlight { get; set; }

    // Bytes written so far.
    public long Received { get; set; }

    public bool Redirected => Source != Primary;

    // Peers served from this copy while it is written (PartialCopyServer), by node.
    public HashSet<ulong> Downstream { get; } = [];

    // Their reads of bytes that have not arrived yet, answered as they do.
    public List<(ulong Peer, ReadChunk Read)> WaitingReads { get; } = [];
}
