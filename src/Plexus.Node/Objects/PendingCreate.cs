using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// A create request waiting for room in the store. <see cref="Answer"/> is called once, under
/// the node's lock, with the reply (an offset, or why not); it only queues or completes, never blocks.
/// </summary>
internal sealed class PendingCreate(long requestId, ObjectId id, long size, int owner, int requester, long startedAt, Action<Outbox, CreateReply> answer)
{
    public long RequestId { get; } = requestId;

    public ObjectId Id { get; } = id;

    public long Size { get; } = size;

    // The process that owns the object to be.
    public int Owner { get; } = owner;

    // The process that asked and waits for the reply.
    public int Requester { get; } = requester;

    // The node's TimeProvider timestamp of the request.
    public long StartedAt { get; } = startedAt;

    public Action<Outbox, CreateReply> Answer { get; } = answer;

    // Set when the room is for a secondary copy of another node's object (a pull), not a runtime's object.
    public SecondaryCopy? Copy { get; init; }
}
