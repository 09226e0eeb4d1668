namespace Plexus.Node;

/// <summary>
/// The peers that hold, or are being sent, copies of this node's own objects: those to tell when an
/// object is freed, and those a pull may be sent to instead of this node, so that a broadcast is
/// not served by the primary alone. Only touched under the node's lock.
/// </summary>
/// <remarks>
/// Who serves a pull is whichever of this node and the peers with a copy, complete or being
/// written (which serves as its bytes arrive: <see cref="PartialCopyServer"/>), was assigned a pull
/// least recently; so readers that start together form a chain rather than all pulling from here.
/// A copy leaves with its <see cref="Protocol.Messages.CopyDropped"/> (evicted there) or a
/// <see cref="Protocol.Messages.PullDone"/> that says it was not finished.
/// </remarks>
internal sealed class CopyHolders
{
    // Per object with copies: the holders, and when this node itself last served a pull of it.
    private readonly Dictionary<ObjectId, Holders> _byObject = [];
    // Orders assignments: the least recently assigned server gets the next pull.
    private long _clock;

    /// <summary>Objects that have at least one holder.</summary>
    public int Count => _byObject.Count;

    /// <summary>
    /// Chooses who serves <paramref name="puller"/>'s pull of <paramref name="id"/>: null for this
    /// node, else a peer holding a copy (complete or being written) that <paramref name="reachable"/> says the puller
    /// can be sent to; the one chosen counts as assigned now.
    /// </summary>
    public ulong? ChooseServer(ObjectId id, ulong puller, Func<ulong, bool> reachable)
    {
        if (!_byObject.TryGetValue(id, out var holders))
        {
            return null;
        }

        ulong? chosen = null;
        var oldest = holders.SelfAssignedAt;
        foreach (var (node, holder) in holders.Peers)
        {
            // On a tie the copy wins: it takes load off the primary.
            if (holder.AssignedAt <= oldest && node != puller && reachable(node))
            {
                chosen = node;
                oldest = holder.AssignedAt;
            }
        }

        if (chosen is { } peer)
        {
            holders.Peers[peer].AssignedAt = ++_clock;
        }
        else
        {
            holders.SelfAssignedAt = ++_clock;
        }

        return chosen;
    }

    /// <summary>
    /// <paramref name="node"/> is being sent a copy of <paramref name="id"/>: it is told when the
    /// object is freed, and may serve pulls from now on.
    /// </summary>
    public void Add(ObjectId id, ulong node)
    {
        if (!_byObject.TryGetValue(id, out var holders))
        {
            _byObject[id] = holders = new Holders();
        }

        // A node that held a copy before has lost it (it is pulling again): it counts as new.
        holders.Peers[node] = new Holder();
    }

    /// <summary>The copy at <paramref name="node"/> is gone (evicted there, or its pull gave up).</summary>
    public void Remove(ObjectId id, ulong node)
    {
        if (_byObject.TryGetValue(id, out var holders) && holders.Peers.Remove(node) && holders.Peers.Count == 0)
        {
            _byObject.Remove(id);
        }
    }

    /// <summary>The object is freed here: forgets it and returns the peers whose copies must go too.</summary>
    public IReadOnlyCollection<ulong> Forget(ObjectId id) =>
        _byObject.Remove(id, out var holders) ? holders.Peers.Keys : [];

    /// <summary>
    /// The link to <paramref name="node"/> is lost: no pull is sent there. Its copies may outlive
    /// the link (they are kept there until freed), but this node can no longer tell it to drop them.
    /// </summary>
    public void ForgetPeer(ulong node)
    {
        foreach (var (id, holders) in _byObject.ToList())
        {
            if (holders.Peers.Remove(node) && holders.Peers.Count == 0)
            {
                _byObject.Remove(id);
            }
        }
    }

    private sealed class Holders
    {
        // The peers with a copy, complete or being written, by node id.
        public Dictionary<ulong, Holder> Peers { get; } = [];

        public long SelfAssignedAt { get; set; }
    }

    private sealed class Holder
    {
        // When a pull was last sent to this holder (0: never), on _clock.
        public long AssignedAt { get; set; }
    }
}
