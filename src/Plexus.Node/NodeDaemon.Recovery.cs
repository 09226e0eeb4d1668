using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Finding copies of objects whose primary node is gone, for their owners' lineage reconstruction
/// (docs/ARCHITECTURE.md, "Lineage reconstruction"): a <see cref="LocateObjects"/> from a runtime is
/// asked of every linked peer (<see cref="FindCopies"/>), and a copy found is made the object's
/// primary when its owner asks (<see cref="AdoptCopies"/>), on this node or passed to the holder.
/// </summary>
internal sealed partial class NodeDaemon
{
    // How long a search for copies waits for a silent peer before it answers with what it has.
    private static readonly TimeSpan CopySearchDeadline = TimeSpan.FromSeconds(2);

    // Open searches for copies, by the request id their FindCopies carry.
    private readonly CopySearches _copySearches = new();

    // A runtime of this node asks where copies of its lost objects are. Under the lock.
    private void OnLocateObjects(int from, LocateObjects locate, Outbox outbox)
    {
        var here = _objects.CopiesHeld(locate.Objects).ToDictionary(id => id, _ => NodeId);
        var peers = _peers.All.ToList();
        var search = _copySearches.Start(from, locate.RequestId, peers.Select(p => p.Node), here);
        if (peers.Count == 0)
        {
            AnswerCopySearch(_copySearches.Take(search.Id), outbox);
            return;
        }

        foreach (var (peer, link) in peers)
        {
            outbox.Add(link, new FindCopies { Target = ProcessAddress.NodeOf(peer), Source = _address, RequestId = search.Id, Objects = locate.Objects });
        }

        _ = EndCopySearchAtDeadlineAsync(search.Id);
    }

    private async Task EndCopySearchAtDeadlineAsync(long search)
    {
        await Task.Delay(CopySearchDeadline, _time).ConfigureAwait(false);
        Locked(outbox => AnswerCopySearch(_copySearches.Take(search), outbox));
    }

    private void OnFindCopies(ulong peer, FindCopies find, Outbox outbox)
    {
        if (_peers.TryGet(peer, out var link))
        {
            outbox.Add(link, new CopiesFound { Target = ProcessAddress.NodeOf(peer), Source = _address, RequestId = find.RequestId, Objects = _objects.CopiesHeld(find.Objects) });
        }
    }

    private void OnCopiesFound(ulong peer, CopiesFound found, Outbox outbox) =>
        AnswerCopySearch(_copySearches.Answered(found.RequestId, peer, found.Objects), outbox);

    // The searches waiting for a peer whose link is lost end without it.
    private void OnPeerLostForRecovery(ulong peer, Outbox outbox)
    {
        foreach (var search in _copySearches.PeerLost(peer))
        {
            AnswerCopySearch(search, outbox);
        }
    }

    private static void AnswerCopySearch(CopySearches.Search? search, Outbox outbox)
    {
        if (search is not null)
        {
            outbox.Add(search.Requester, search.Answer());
        }
    }

    // An owner adopts copies: here when this node holds them, else passed on to the holder, which
    // answers the owner; with no link to the holder, the owner hears that none was adopted.
    private void OnAdoptCopies(AdoptCopies adopt, Outbox outbox)
    {
        if (adopt.Node == NodeId)
        {
            var adopted = _objects.Adopt(adopt.Objects, adopt.Owner);
            outbox.Add(adopt.Owner, new ObjectsLocated
            {
                Target = adopt.Owner, Source = _address, RequestId = adopt.RequestId, Found = [.. adopted.Select(id => new ObjectLocation(id, NodeId))],
            });
        }
        else if (_peers.TryGet(adopt.Node, out var holder))
        {
            outbox.Add(holder, new AdoptCopies
            {
                Target = ProcessAddress.NodeOf(adopt.Node), Source = _address, RequestId = adopt.RequestId, Objects = adopt.Objects, Node = adopt.Node, Owner = adopt.Owner,
            });
        }
        else
        {
            outbox.Add(adopt.Owner, new ObjectsLocated { Target = adopt.Owner, Source = _address, RequestId = adopt.RequestId, Found = [] });
        }
    }
}
