using Microsoft.Extensions.Logging;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Objects across nodes: a pin of an object in a peer's store pulls a copy into this node's
/// (<see cref="ObjectPuller"/>), peers' pulls of objects here are served (<see cref="PullServer"/>),
/// and when one of this node's objects is freed, every peer holding a copy is told to drop it.
/// Only touched under the node's lock; messages go through the <see cref="Outbox"/>.
/// </summary>
/// <remarks>
/// A copy lives until its primary frees the object (<see cref="DropCopies"/>) or store pressure
/// evicts it (<see cref="CopyDropped"/>), before any of the node's own objects is spilled. A node
/// that loses its link to a primary keeps the copies it has of its objects: the primary can no
/// longer free them, but a copy is sound (sealed bytes never change) and may serve again once
/// objects can be recovered from copies; pressure still evicts them.
/// </remarks>
internal sealed class ObjectTransfers
{
    private readonly ObjectPuller _puller;
    private readonly PullServer _server;
    private readonly CopyHolders _holders = new();
    private readonly PeerMessenger _peers;

    public ObjectTransfers(
        NodeObjectStore objects, LocalObjectStore store, LocalAddresses addresses, ObjectOwners owners, IPeerLinks links, TransferSettings settings, TimeProvider time, ILogger logger)
    {
        _peers = new PeerMessenger(addresses, links);
        _server = new PullServer(objects, store, owners, _peers, _holders, id => _puller?.UnderWay(id));
        _puller = new ObjectPuller(objects, store, _peers, _server.Partial, settings, time, logger);
    }

    /// <summary>Bytes of objects sent to peers since the node started.</summary>
    public long BytesSent => _server.BytesSent;

    /// <summary>Bytes of objects received from peers since the node started.</summary>
    public long BytesReceived => _puller.BytesReceived;

    /// <inheritdoc cref="ObjectPuller.Pull"/>
    public void Pull(ObjectId id, ulong node, Action<Outbox, ErrorInfo?> whenDone, Outbox outbox) => _puller.Pull(id, node, whenDone, outbox);

    /// <summary>Handles a transfer message from peer <paramref name="peer"/> (its header checked by the caller).</summary>
    public void Receive(ulong peer, ITransferMessage message, Outbox outbox)
    {
        switch (message)
        {
            case PullObject pull:
                _server.OnPull(peer, pull, outbox);
                break;
            case ReadChunk read:
                _server.OnReadChunk(peer, read, outbox);
                break;
            case PullDone done:
                _server.OnPullDone(peer, done, outbox);
                break;
            case CopyDropped dropped:
                _holders.Remove(dropped.Object, peer);
                break;
            case PullStarted started:
                _puller.OnStarted(peer, started, outbox);
                break;
            case PullRedirect redirect:
                _puller.OnRedirect(peer, redirect, outbox);
                break;
            case PullRefused refused:
                _puller.OnRefused(peer, refused, outbox);
                break;
            case ObjectChunk chunk:
                _puller.OnChunk(peer, chunk, outbox);
                break;
            case DropCopies drop:
                _puller.OnDropCopies(peer, drop, outbox);
                break;
            default:
                throw new ProtocolViolationException($"{message.GetType().Name} is not a message of the object transfer");
        }
    }

    /// <summary>One of this node's own objects left its store (freed, its owner died, or replaced): every copy of it goes too.</summary>
    public void OnFreed(ObjectId id, Outbox outbox)
    {
        foreach (var holder in _holders.Forget(id))
        {
            _peers.Send(holder, new DropCopies { Objects = [id] }, outbox);
        }
    }

    /// <summary>The link to <paramref name="peer"/> is lost: pulls it served go elsewhere or fail, and what was pinned for it is released.</summary>
    public void OnPeerLost(ulong peer, Outbox outbox)
    {
        _puller.OnPeerLost(peer, outbox);
        _server.OnPeerLost(peer, outbox);
    }
}
