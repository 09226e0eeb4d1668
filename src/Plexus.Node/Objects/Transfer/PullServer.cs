using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Serves peers' pulls of objects in this node's store, its own or complete copies alike: it pins
/// the object for the puller (reading it back first if it is spilled), sends the chunks asked for,
/// and lets go when the puller says it is done or its link is lost. A pull of a copy still being
/// written here is served from it as its bytes arrive (<see cref="PartialCopyServer"/>). For its
/// own objects it keeps who holds copies (<see cref="CopyHolders"/>) and may send a puller to one
/// of them instead. Only touched under the node's lock; messages go through the <see cref="Outbox"/>.
/// </summary>
internal sealed class PullServer(
    NodeObjectStore objects, LocalObjectStore store, ObjectOwners owners, PeerMessenger peers, CopyHolders holders, Func<ObjectId, IncomingPull?> pullUnderWay)
{
    // Serves pulls of copies still being written here (made on first use: it sends through this server).
    private PartialCopyServer? _partial;

    // Pins held for peers' pulls, by (peer, object): the version pinned, released by PullDone or when the peer's link is lost.
    private readonly Dictionary<(ulong Peer, ObjectId Id), ObjectValue> _serving = [];

    // Pulls refused after PullStarted (the copy they were served from was not finished here): their
    // reads already on the way are dropped, until the puller's PullDone, which comes after them.
    private readonly HashSet<(ulong Peer, ObjectId Id)> _cutOff = [];

    /// <summary>Bytes of objects sent to peers since the node started.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Serves pulls from copies still being written here.</summary>
    public PartialCopyServer Partial => _partial ??= new PartialCopyServer(store, peers, this);

    public void OnPull(ulong peer, PullObject pull, Outbox outbox)
    {
        var id = pull.Object;
        // A copy being written here has at most its range in the store, unsealed: it serves as its bytes arrive.
        if (pullUnderWay(id) is { } partial)
        {
            Partial.Serve(peer, partial, outbox);
            return;
        }

        if (store.Find(id) is not { } stored)
        {
            Refuse(peer, id, WhyNotHere(id), outbox);
            return;
        }

        if (stored.Copy is null && !pull.NoRedirect && holders.ChooseServer(id, peer, peers.IsLinked) is { } holder)
        {
            holders.Add(id, peer);
            peers.Send(peer, new PullRedirect { Object = id, Node = holder }, outbox);
            return;
        }

        Serve(peer, id, outbox);
    }

    public void OnReadChunk(ulong peer, ReadChunk read, Outbox outbox)
    {
        if (!_serving.TryGetValue((peer, read.Object), out var pinned))
        {
            if (pullUnderWay(read.Object) is { } partial && partial.Downstream.Contains(peer))
            {
                Partial.Read(peer, partial, read);
                return;
            }

            if (_cutOff.Contains((peer, read.Object)))
            {
                return;
            }

            throw new ProtocolViolationException($"Node {peer:x16} asked for a chunk of object {read.Object}, which is not being sent to it");
        }

        if (read.Offset + read.Length > pinned.Size)
        {
            throw new ProtocolViolationException(
                $"Node {peer:x16} asked for bytes {read.Offset}..{read.Offset + read.Length} of object {read.Object}, which has {pinned.Size}");
        }

        // The pin keeps the bytes where they are (never spilled, moved or reused) until PullDone.
        SendChunk(peer, read, store.Arena.GetMemory<byte>(pinned.Offset + read.Offset, read.Length));
    }

    /// <summary>
    /// Sends bytes of an object, which lie at <paramref name="bytes"/> in this node's store, to
    /// <paramref name="peer"/>. PullDone may release what keeps them there as soon as the lock is
    /// released: so the chunk is queued now, its bytes copied into the link's send buffer while they
    /// certainly hold, not through the outbox.
    /// </summary>
    public void SendChunk(ulong peer, ReadChunk read, ReadOnlyMemory<byte> bytes)
    {
        peers.SendNow(peer, new ObjectChunk { Object = read.Object, Offset = read.Offset, Payload = new(bytes) });
        BytesSent += bytes.Length;
    }

    /// <summary>
    /// <paramref name="peer"/> was served the copy of <paramref name="id"/> while it was written,
    /// which is sealed now: it is pinned for that peer as for any pull, until its PullDone.
    /// </summary>
    public void Adopt(ulong peer, ObjectId id, Outbox outbox)
    {
        // Just sealed, so in memory: pinned at once unless freed meanwhile (then the peer goes back to the primary).
        if (objects.Pin(id, (later, _) => CutOff(peer, id, WhyNotHere(id), later), outbox, out var pinned) == PinAttempt.Pinned)
        {
            _serving[(peer, id)] = pinned!;
        }
        else
        {
            CutOff(peer, id, WhyNotHere(id), outbox);
        }
    }

    /// <summary>
    /// Refuses <paramref name="peer"/>'s pull of <paramref name="id"/> after it was sent
    /// <see cref="PullStarted"/>: it starts over from the primary, and its reads on the way are dropped.
    /// </summary>
    public void CutOff(ulong peer, ObjectId id, string reason, Outbox outbox)
    {
        _cutOff.Add((peer, id));
        Refuse(peer, id, reason, outbox);
    }

    public void OnPullDone(ulong peer, PullDone done, Outbox outbox)
    {
        _cutOff.Remove((peer, done.Object));
        if (_serving.Remove((peer, done.Object), out var pinned))
        {
            objects.Unpin(done.Object, pinned.Offset, outbox);
        }

        if (pullUnderWay(done.Object) is { } partial)
        {
            PartialCopyServer.Leave(peer, partial);
        }

        if (!done.Complete)
        {
            holders.Remove(done.Object, peer);
        }
    }

    /// <summary>The link to <paramref name="peer"/> is lost: the pins held for it go, and no pull is sent there.</summary>
    public void OnPeerLost(ulong peer, Outbox outbox)
    {
        foreach (var ((node, id), pinned) in _serving.Where(s => s.Key.Peer == peer).ToList())
        {
            _serving.Remove((node, id));
            objects.Unpin(id, pinned.Offset, outbox);
        }

        _cutOff.RemoveWhere(pull => pull.Peer == peer);
        holders.ForgetPeer(peer);
    }

    private void Serve(ulong peer, ObjectId id, Outbox outbox)
    {
        switch (objects.Pin(id, (later, error) => Restored(peer, id, error, later), outbox, out var pinned))
        {
            case PinAttempt.Pinned:
                var stored = store.Find(id)!;
                // A second pull of the object by the same peer replaces the first (that one ended there).
                if (_serving.Remove((peer, id), out var earlier))
                {
                    objects.Unpin(id, earlier.Offset, outbox);
                }

                _serving[(peer, id)] = pinned!;
                if (stored.Copy is null)
                {
                    holders.Add(id, peer);
                }

                peers.Send(peer, new PullStarted
                {
                    Object = id, Size = pinned!.Size, Format = pinned.Format, Owner = stored.Copy?.Owner ?? owners.AddressOf(stored.Owner),
                }, outbox);
                break;
            case PinAttempt.Missing:
                Refuse(peer, id, WhyNotHere(id), outbox);
                break;
        }
    }

    // A spilled object was read back (or could not be): serve it now, unless the puller is gone.
    private void Restored(ulong peer, ObjectId id, ErrorInfo? error, Outbox outbox)
    {
        if (error is not null)
        {
            Refuse(peer, id, error.Message, outbox);
        }
        else if (peers.IsLinked(peer))
        {
            Serve(peer, id, outbox);
        }
    }

    private void Refuse(ulong peer, ObjectId id, string reason, Outbox outbox)
    {
        holders.Remove(id, peer);
        peers.Send(peer, new PullRefused { Object = id, Reason = reason }, outbox);
    }

    private string WhyNotHere(ObjectId id) =>
        objects.Orphans.WhyGone(id)?.Message ?? $"it is not in the store of node {peers.Self:x16} any more (it was freed)";
}
