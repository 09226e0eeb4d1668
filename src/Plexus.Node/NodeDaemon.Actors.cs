using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Actors across nodes. An actor is created where <see cref="ClusterPlacement"/> puts it (the
/// creator's node unless the actor asks for resources or a node it does not offer, or its
/// resources are taken here): this node hosts it, or hands the creation to the chosen node
/// (<see cref="ForwardActor"/>) and remembers where it went. One no linked node can host is held
/// here, pending, until a view of the cluster places it (<see cref="HeldActors"/>); a named one has
/// its name reserved by this node before it is held (so a second actor of that name is refused at
/// once, from any node), and the node that hosts it in the end registers it again, which moves the
/// name there. A call reaches the actor through the caller's node, which passes it to the node
/// hosting the actor, or else to the actor's home node (its creator's, which knows). Names are the
/// <see cref="IActorRegistry"/>'s: the hosting (or holding) node reserves a named actor's name there
/// before placing (or holding) it, and a lookup asks it (in a cluster, the control service, which
/// names the hosting or holding node).
/// </summary>
internal sealed partial class NodeDaemon
{
    // Actors this node created elsewhere or found by name on another node, by id: where their calls
    // and kills go. A forwarded creation the host refuses (its name was taken) leaves its entry
    // until that node is lost: its id is never called.
    private readonly Dictionary<TaskId, ulong> _remoteActors = [];
    // Actors no linked node can host yet, pending here until a view places them.
    private readonly HeldActors _heldActors = new();

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

        if (choice.IsInfeasible || choice.Node != NodeId)
        {
            // No node can host it now, or only one not linked yet: it waits here, pending, until a view places it.
            if (choice.IsInfeasible)
            {
                _logger.ActorInfeasibleInCluster(create.Spec.Id, create.Spec.Constructor.Type, Resources.Describe(Demand.Of(create.Spec)));
            }

            if (create.Spec.Name is null)
            {
                Hold(requester, create, outbox);
            }
            else
            {
                // Its name is this node's from now on, pending, so a duplicate is refused at once; faults are answered to the creator in OnRegistered.
                WhenAnswered(_names.RegisterAsync(create.Spec, NodeId, held: true, CodeOf(create.Spec.Id.Job)), (registration, then) => OnRegistered(requester, create, registration, then, Hold), outbox);
            }

            return;
        }

        CreateHere(requester, create, outbox);
    }

    private void Hold(ProcessAddress requester, CreateActor create, Outbox outbox)
    {
        _heldActors.Hold(create);
        _actors.OnCreateActor(requester, create, outbox, held: true);
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
                KeepHeldActorsName(create.Spec, outbox);
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
                NameReserved = create.Spec.Name is not null,
            });
            foreach (var call in calls)
            {
                outbox.Add(peer, new CallActor { Target = ProcessAddress.NodeOf(choice.Node), Source = _address, Call = call.Call });
                if (_addresses.IsLocal(call.Call.Caller))
                {
                    _remoteCalls.Sending(call.Call, choice.Node);
                }
            }
        }
    }

    // A held named actor that stays here: its registration (pending, by this node) becomes this node's live actor.
    private void KeepHeldActorsName(ActorSpec spec, Outbox outbox)
    {
        if (spec.Name is not null || (spec.Restartable && _names.KeepsRestartableActors))
        {
            WhenAnswered(_names.RegisterAsync(spec, NodeId, held: false, CodeOf(spec.Id.Job)), (registration, _) => OnHeldActorKept(spec, registration), outbox);
        }
    }

    // Under the lock. The name is this node's either way (the same actor holds it); a failure leaves the registry saying it is pending here.
    private void OnHeldActorKept(ActorSpec spec, Task<RegisteredActor?> registration)
    {
        if (registration.Exception is { } failure)
        {
            _logger.HeldActorNotMarkedAlive(spec.Id, spec.Name, failure.GetBaseException().Message);
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

        if (forward.NameReserved)
        {
            CreateMovedHere(forward.Create.Source, forward.Create, outbox);
        }
        else
        {
            CreateHere(forward.Create.Source, forward.Create, outbox);
        }
    }

    // A held named actor its holding node gave up: its name is reserved already, so it is created at
    // once (the calls that waited with it, sent right behind, must find it), and its registration
    // follows it here; a name that cannot follow ends it, as a name that cannot be reserved fails a creation.
    private void CreateMovedHere(ProcessAddress requester, CreateActor create, Outbox outbox)
    {
        var spec = create.Spec;
        _actors.OnCreateActor(requester, create, outbox);
        WhenAnswered(_names.RegisterAsync(spec, NodeId, held: false, CodeOf(spec.Id.Job)), (registration, then) => OnMovedHere(spec, registration, then), outbox);
    }

    // Under the lock: the name followed the actor here, or the actor ends (its holding node died meanwhile, say, which freed the name).
    private void OnMovedHere(ActorSpec spec, Task<RegisteredActor?> registration, Outbox outbox)
    {
        var problem = registration.Exception is { } failure ? failure.GetBaseException().Message
            : registration.Result is { } holder && holder.Spec.Id != spec.Id ? $"the name is taken by actor {holder.Spec.Id}"
            : null;
        if (problem is not null)
        {
            _actors.OnKillActor(new KillActor
            {
                Actor = spec.Id,
                Reason = $"Actor {spec.Id} ('{spec.Name}' in namespace '{spec.Namespace}') could not keep its name on node {NodeId:x16}, which hosts it: {problem}. Create it again.",
            }, outbox);
        }
    }

    // This node hosts the actor: a named one first has its name reserved, and is placed once the
    // registry agrees; so is a restartable one in a cluster (its record lets another node restart it).
    private void CreateHere(ProcessAddress requester, CreateActor create, Outbox outbox)
    {
        if (create.Spec.Name is null && !(create.Spec.Restartable && _names.KeepsRestartableActors))
        {
            _actors.OnCreateActor(requester, create, outbox);
            return;
        }

        // Faults are answered to the creator in OnRegistered.
        WhenAnswered(
            _names.RegisterAsync(create.Spec, NodeId, held: false, CodeOf(create.Spec.Id.Job)),
            (registration, then) => OnRegistered(requester, create, registration, then, (r, c, o) => _actors.OnCreateActor(r, c, o)),
            outbox);
    }

    // Runs `answered` under the lock with the registry's answer: at once when it is in (the embedded
    // registry answers at once), else once it comes (a cluster's asks the control service).
    private void WhenAnswered(ValueTask<RegisteredActor?> answer, Action<Task<RegisteredActor?>, Outbox> answered, Outbox outbox)
    {
        if (answer.IsCompleted)
        {
            answered(answer.AsTask(), outbox);
        }
        else
        {
            _ = WhenAnsweredLaterAsync(answer.AsTask(), answered);
        }
    }

    private async Task WhenAnsweredLaterAsync(Task<RegisteredActor?> answer, Action<Task<RegisteredActor?>, Outbox> answered)
    {
        await ((Task)answer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Locked(outbox => answered(answer, outbox));
    }

    // Under the lock: the name is reserved (the actor is created: placed, or held), held by another live actor, or could not be reserved.
    private void OnRegistered(
        ProcessAddress requester, CreateActor create, Task<RegisteredActor?> registration, Outbox outbox, Action<ProcessAddress, CreateActor, Outbox> onReserved)
    {
        var spec = create.Spec;
        if (registration.Exception is { } failure)
        {
            var what = spec.Name is null ? $"Restartable actor {spec.Id} could not be registered with the cluster"
                : $"The name '{spec.Name}' in namespace '{spec.Namespace}' could not be reserved for actor {spec.Id}";
            outbox.Add(requester, ActorAnswer(requester, create.RequestId, ErrorInfo.Of(ErrorKind.NodeUnavailable,
                $"{what}: {failure.GetBaseException().Message} Check that the cluster's head node is running, then create the actor again.")));
        }
        else if (registration.Result is { } holder)
        {
            outbox.Add(requester, create.GetIfExists
                ? new ActorCreated { Target = requester, Source = _address, RequestId = create.RequestId, Spec = holder.Spec, Capability = _access.Key.Of(holder.Spec.Id) }
                : ActorAnswer(requester, create.RequestId, ErrorInfo.Of(ErrorKind.ActorNameTaken,
                    $"The name '{spec.Name}' in namespace '{spec.Namespace}' is taken by a live actor ({holder.Spec.Id}).")));
        }
        else if (!spec.Detached && _addresses.IsLocal(spec.Owner) && !_processes.IsConnected(spec.Owner.Process))
        {
            // Its creator exited while the name was being reserved: it would end at once.
            _names.Ended(spec, NodeId, $"Actor {spec.Id} ended because its creator exited (it is not detached).");
        }
        else
        {
            onReserved(requester, create, outbox);
        }
    }

    private void OnCallActor(int from, CallActor call, Outbox outbox)
    {
        _addresses.ValidateSender(from, call.Call.Caller, "ActorCall.Caller");
        if (_access.Refusal(from, call, _address) is { } refusal)
        {
            outbox.Add(call.Call.Caller, refusal);
            _logger.AccessDenied(from, refusal.Error!.Message);
            return;
        }

        RouteCall(call, outbox, fromPeer: 0);
    }

    // To the actor here, to the node it was created on from here, or to its home node; a call that
    // came from a peer (fromPeer, 0 for this node's processes) is not sent back out to its home
    // again, and that peer learns where the actor lives. A call for an actor whose node was lost
    // waits here for its restart. Calls of this node's processes sent to other nodes are kept
    // until answered, to send again when the node they went to is lost.
    private void RouteCall(CallActor call, Outbox outbox, ulong fromPeer)
    {
        var actor = call.Call.Actor;
        if (fromPeer == 0)
        {
            _remoteCalls.Passing(call.Call);
        }

        if (_restartWaits.TryGetValue(actor, out var wait))
        {
            // Behind the calls interrupted by its node's death, even once it is built here again: they go first.
            wait.Held.Add((call.Call, fromPeer));
        }
        else if (_actors.Hosts(actor))
        {
            _actors.OnCallActor(call, outbox);
        }
        else if (NodeOfActor(actor, call.Call.Home, fromPeer != 0) is { } host)
        {
            outbox.Add(host.Link, new CallActor { Target = ProcessAddress.NodeOf(host.Node), Source = _address, Call = call.Call });
            if (fromPeer == 0)
            {
                _remoteCalls.Sending(call.Call, host.Node);
            }
            else if (host.Node != fromPeer && _peers.TryGet(fromPeer, out var caller))
            {
                outbox.Add(caller, new ActorLocated { Target = ProcessAddress.NodeOf(fromPeer), Source = _address, Actor = actor, Node = host.Node });
            }
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
        else if (_restartWaits.TryGetValue(kill.Actor, out var wait))
        {
            wait.Kill = kill;
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
        // Faults are answered to the requester in OnFound.
        WhenAnswered(_names.LookupAsync(lookup.Namespace, lookup.Name), (found, then) => OnFound(requester, lookup, found, then), outbox);
    }

    // Under the lock: the actor found goes to the requester, and its calls from here go straight to its node.
    private void OnFound(ProcessAddress requester, LookupActor lookup, Task<RegisteredActor?> found, Outbox outbox)
    {
        if (found.Exception is { } failure)
        {
            outbox.Add(requester, ActorAnswer(requester, lookup.RequestId, ErrorInfo.Of(ErrorKind.NodeUnavailable,
                $"The actor named '{lookup.Name}' in namespace '{lookup.Namespace}' could not be looked up: {failure.GetBaseException().Message} " +
                "Check that the cluster's head node is running, then look it up again.")));
        }
        else if (found.Result is { } actor)
        {
            if (actor.Restarting)
            {
                // Its node died: its calls wait here for its restart, or for why it ended.
                WaitForRestart(actor.Spec.Id, actor.Node);
            }
            else if (actor.Node != NodeId)
            {
                _remoteActors.TryAdd(actor.Spec.Id, actor.Node);
            }

            outbox.Add(requester, new ActorCreated
            {
                Target = requester, Source = _address, RequestId = lookup.RequestId, Spec = actor.Spec, Capability = _access.Key.Of(actor.Spec.Id),
            });
        }
        else
        {
            outbox.Add(requester, ActorAnswer(requester, lookup.RequestId, ErrorInfo.Of(ErrorKind.ActorNotFound,
                $"No live actor is named '{lookup.Name}' in namespace '{lookup.Namespace}'.")));
        }
    }

    // A peer is lost: the actors placed there are gone; their calls wait for the registry to say
    // whether they were restarted elsewhere (NodeDaemon.ActorFailover).
    private void ForgetActorsOf(ulong peer, Outbox outbox)
    {
        var lost = _remoteActors.Where(a => a.Value == peer).Select(a => a.Key).ToHashSet();
        foreach (var actor in lost)
        {
            _remoteActors.Remove(actor);
        }

        WaitForRestartsOf(peer, lost, outbox);

        _actors.OnRemoteOwnersExited(owner => owner.Node == peer, outbox);
        _objects.OnRemoteOwnersExited(owner => owner.Node == peer, outbox);
    }

    private ActorCreated ActorAnswer(ProcessAddress requester, long requestId, ErrorInfo error) =>
        new() { Target = requester, Source = _address, RequestId = requestId, Error = error };
}
