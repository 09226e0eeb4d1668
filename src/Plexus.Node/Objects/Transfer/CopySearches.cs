using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The open searches for copies of lost objects (<see cref="LocateObjects"/>): which peers have not
/// answered yet and where a copy of each object was found. A search ends when every peer asked
/// has answered (or its link is lost) or at its deadline, whichever comes first, so a silent peer
/// delays it by the deadline at most. Only touched under the node's lock.
/// </summary>
internal sealed class CopySearches
{
    // The number the next search's FindCopies carry as their request id.
    private long _next;
    private readonly Dictionary<long, Search> _open = [];

    /// <summary>One search: who asked (a process of this node and its request id), the peers still to answer, and what was found.</summary>
    public sealed record Search(long Id, int Requester, long RequestId, HashSet<ulong> Waiting, Dictionary<ObjectId, ulong> Found)
    {
        public ObjectsLocated Answer() => new() { RequestId = RequestId, Found = [.. Found.Select(f => new ObjectLocation(f.Key, f.Value))] };
    }

    /// <summary>Opens a search that waits for <paramref name="peers"/>; ended at once (returned by <see cref="Take"/>) when there are none.</summary>
    public Search Start(int requester, long requestId, IEnumerable<ulong> peers, Dictionary<ObjectId, ulong> foundHere)
    {
        var search = new Search(++_next, requester, requestId, [.. peers], foundHere);
        _open[search.Id] = search;
        return search;
    }

    /// <summary>Peer <paramref name="peer"/> answered search <paramref name="id"/>: the search, if this answer ends it.</summary>
    public Search? Answered(long id, ulong peer, IEnumerable<ObjectId> held)
    {
        if (!_open.TryGetValue(id, out var search) || !search.Waiting.Remove(peer))
        {
            return null;
        }

        foreach (var copy in held)
        {
            search.Found.TryAdd(copy, peer);
        }

        return search.Waiting.Count == 0 ? Take(id) : null;
    }

    /// <summary>The link to <paramref name="peer"/> is lost: it will not answer; the searches that ends.</summary>
    public List<Search> PeerLost(ulong peer)
    {
        var ended = new List<Search>();
        foreach (var search in _open.Values.Where(s => s.Waiting.Remove(peer) && s.Waiting.Count == 0).ToList())
        {
            ended.Add(Take(search.Id)!);
        }

        return ended;
    }

    /// <summary>Ends search <paramref name="id"/> (done, or at its deadline): the search, or null when it had ended.</summary>
    public Search? Take(long id) => _open.Remove(id, out var search) ? search : null;
}
