using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Actors across nodes. An actor is created where <see cref="ClusterPlacement"/> puts it (the
/// creator's node unless the actor asks for resources or a node it does not offer, or its
/// resources are taken here): this node hosts it, or hands the creation to the chosen node
/// (<see cref="ForwardActor"/>) and remembers where it went. One no linked node can host is held
/// here, pending, until a view of the cluster places it (<see cref="HeldActors"/>). A call reaches the actor through the caller's node, which passes it to the node
/// hosting the actor, or else to the actor's home node (its creator's, which knows). A name not
/// hosted here is asked of every peer (<see cref="FindActor"/>).
/// </summary>
internal sealed partial class NodeDaemon
{
    // Actors this node created elsewhere, by id: where their calls and kills go.
    private readonly Dictionary<TaskId, ulong> _remoteActors = [];
    // Actors no linked node can host yet, pending here until a view places them.
    private readonly HeldActors _heldActors = new();
    // Lookups of names this node asked its peers about, by the node's request number.
    private readonly Dictionary<long, PendingLookup> _lookups = [];
    private long _lastLookup;

    private void OnCreateActor(int from, CreateActor create, Outbox outbox)
    {
        _addresses.ValidateSender(from, create.Spec.Owner, "ActorSpec.Owner");
        var requester = _addresses.Of(from);
        var choice = _placement.Choose(Demand.Of(create.Spec), RoomHere);
        if (choice.Failure is { } failure)
        {
            outbox.Add(requester, new ActorCreated
            {
                Target = requester, Source = _address, RequestId = create.RequestId, Error = ErrorInfo.Of(ErrorKind.NodeUnavailable, failure),
            });
            return;
        }

        if (!choice.IsInfeasible && choice.Node != NodeId && _peers.TryGet(choice.Node, out var peer))
        {
            _remoteActors[create.Spec.Id] = choice.Node;
            outbox.Add(peer, new ForwardActor
            {
                Target = ProcessAddress.NodeOf(choice.Node), Source = _address, Create = create, Package = PackageOf(create.Spec.Id.Job), Driver = DriverOf(create.Spec.Id.Job),
            });
            return;
        }

        var held = choice.IsInfeasible || choice.Node != NodeId;
        if (held)
        {
            // No node can host it now, or only one not linked yet: it waits here, pending, until a view places it.
            if (choice.IsInfeasible)
            {
                _logger.ActorInfeasibleInCluster(create.Spec.Id, create.Spec.Constructor.Type, Resources.Describe(Demand.Of(create.Spec)));
            }

            _heldActors.Hold(create);
        }

        _actors.OnCreateActor(requester, create, outbox, held);
    }

    // A new view: each held actor still pending here goes to a linked node that can host it now, with the calls that waited for it.
    private void PlaceHeldActors(Outbox outbox)
    {
        foreach (var create in _heldActors.All.ToList())
        {
            var id = create.Spec.Id;
            if (_actors.PendingSpec(id) is null)
            {
                _heldActors.Release(id); // Placed here after all, or ended.
                continue;
            }

            var choice = _placement.Choose(Demand.Of(create.Spec), RoomHere);
            if (choice.Failure is null && choice.Node == NodeId)
            {
                _heldActors.Release(id); // It can live here: it waits as any pending actor, for what it asks to be free.
                continue;
            }

            if (choice.Failure is not null || choice.IsInfeasible || !_peers.TryGet(choice.Node, out var peer))
            {
                continue;
            }

            var calls = _actors.TakePending(id) ?? [];
            _heldActors.Release(id);
            _remoteActors[id] = choice.Node;
            _view.Sent(choice.Node, Demand.Of(create.Spec));
            // The link keeps the order: the actor is created there before its calls arrive.
            outbox.Add(peer, new ForwardActor
            {
                Target = ProcessAddress.NodeOf(choice.Node), Source = _address, Create = create, Package = PackageOf(id.Job), Driver = DriverOf(id.Job),
            });
            foreach (var call in calls)
            {
                outbox.Add(peer, new CallActor { Target = ProcessAddress.NodeOf(choice.Node), Source = _address, Call = call.Call });
            }
        }
    }

    // The actors held here for a node that can host them, for reports.
    private IEnumerable<ActorSpec> HeldActorSpecs() => _heldActors.All.Select(c => c.Spec).Where(a => _actors.PendingSpec(a.Id) is not null);

    // A peer chose this node to host an actor: it answers the creator directly.
    private void OnForwardedActor(ForwardActor forward, Outbox outbox)
    {
        if (forward.Package is { } package)
        {
            UseJobPackage(forward.Create.Spec.Id.Job, package, outbox, forward.Driver);
        }

        _actors.OnCreateActor(forward.Create.Source, forward.Create, outbox);
    }

    private void OnCallActor(int from, CallActor call, Outbox outbox)
    {
        _addresses.ValidateSender(from, call.Call.Caller, "ActorCall.Caller");
        RouteCall(call, outbox, fromPeer: false);
    }

    // To the actor here, to the node it was created on from here, or to its home node; a call that came from a peer is not sent back out to its home again.
    private void RouteCall(CallActor call, Outbox outbox, bool fromPeer)
    {
        var actor = call.Call.Actor;
        if (_actors.Hosts(actor))
        {
            _actors.OnCallActor(call, outbox);
        }
        else if (NodeOfActor(actor, call.Call.Home, fromPeer) is { } host)
        {
            outbox.Add(host.Link, new CallActor { Target = ProcessAddress.NodeOf(host.Node), Source = _address, Call = call.Call });
        }
        else
        {
            outbox.Add(call.Call.Caller, _actors.NotAlive(call));
        }
    }

    private void OnKillActor(KillActor kill, Outbox outbox, bool fromPeer)
    {
        if (_actors.Hosts(kill.Actor))
        {
            _actors.OnKillActor(kill, outbox);
        }
        else if (NodeOfActor(kill.Actor, kill.Home, fromPeer) is { } host)
        {
            outbox.Add(host.Link, new KillActor { Target = ProcessAddress.NodeOf(host.Node), Source = _address, Actor = kill.Actor, Home = kill.Home, Reason = kill.Reason });
        }
    }

    // The link to the node an actor not hosted here lives on, as far as this node knows.
    private (ulong Node, IMessageLink Link)? NodeOfActor(TaskId actor, ulong home, bool fromPeer)
    {
        var node = _remoteActors.TryGetValue(actor, out var placed) ? placed : !fromPeer && home != 0 && home != NodeId ? home : 0;
        return node != 0 && _peers.TryGet(node, out var link) ? (node, link) : null;
    }

    private void OnLookupActor(int from, LookupActor lookup, Outbox outbox)
    {
        var requester = _addresses.Of(from);
        var peers = _peers.All.Select(p => p.Node).ToHashSet();
        if (_actors.FindByName(lookup.Namespace, lookup.Name) is not null || peers.Count == 0)
        {
            _actors.OnLookupActor(from, lookup, outbox);
            return;
        }

        var id = ++_lastLookup;
        _lookups[id] = new PendingLookup(requester, lookup, peers);
        foreach (var (node, link) in _peers.All)
        {
            outbox.Add(link, new FindActor { Target = ProcessAddress.NodeOf(node), Source = _address, RequestId = id, Name = lookup.Name, Namespace = lookup.Namespace });
        }
    }

    private void OnFindActor(ulong peer, FindActor find, Outbox outbox)
    {
        if (_peers.TryGet(peer, out var link))
        {
            outbox.Add(link, new ActorFound
            {
                Target = ProcessAddress.NodeOf(peer), Source = _address, RequestId = find.RequestId, Spec = _actors.FindByName(find.Namespace, find.Name),
            });
        }
    }

    private void OnActorFound(ulong peer, ActorFound found, Outbox outbox)
    {
        if (!_lookups.TryGetValue(found.RequestId, out var lookup))
        {
            return;
        }

        lookup.Waiting.Remove(peer);
        if (found.Spec is { } spec)
        {
            _remoteActors.TryAdd(spec.Id, peer);
            _lookups.Remove(found.RequestId);
            outbox.Add(lookup.Requester, new ActorCreated { Target = lookup.Requester, Source = _address, RequestId = lookup.Request.RequestId, Spec = spec });
        }
        else if (lookup.Waiting.Count == 0)
        {
            _lookups.Remove(found.RequestId);
            AnswerNotFound(lookup, outbox);
        }
    }

    // A peer is lost: its lookups count as not found; the actors placed there are gone (their calls fail at their hosting node, which is gone too).
    private void ForgetActorsOf(ulong peer, Outbox outbox)
    {
        foreach (var (id, lookup) in _lookups.Where(l => l.Value.Waiting.Remove(peer) && l.Value.Waiting.Count == 0).ToList())
        {
            _lookups.Remove(id);
            AnswerNotFound(lookup, outbox);
        }

        foreach (var actor in _remoteActors.Where(a => a.Value == peer).Select(a => a.Key).ToList())
        {
            _remoteActors.Remove(actor);
        }

        _actors.OnRemoteOwnersExited(owner => owner.Node == peer, outbox);
        _objects.OnRemoteOwnersExited(owner => owner.Node == peer, outbox);
    }

    private void AnswerNotFound(PendingLookup lookup, Outbox outbox) =>
        outbox.Add(lookup.Requester, new ActorCreated
        {
            Target = lookup.Requester, Source = _address, RequestId = lookup.Request.RequestId,
            Error = ErrorInfo.Of(ErrorKind.ActorNotFound, $"No live actor is named '{lookup.Request.Name}' in namespace '{lookup.Request.Namespace}' on any node."),
        });

    private sealed record PendingLookup(ProcessAddress Requester, LookupActor Request, HashSet<ulong> Waiting);
}
