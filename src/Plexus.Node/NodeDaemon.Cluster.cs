using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The node as one of a cluster: the view of the other nodes its host keeps current
/// (<see cref="UpdateClusterView"/>), where each task submitted here runs (<see cref="ClusterPlacement"/>:
/// here, or forwarded to a peer as <see cref="ForwardTask"/>), and the load it reports.
/// </summary>
internal sealed partial class NodeDaemon
{
    private readonly ClusterView _view = new();
    // Tasks this node sent to a peer and has not seen finish (their results pass back through here):
    // if the peer is lost they are placed again, or fail when out of retries.
    private readonly Dictionary<TaskId, (ulong Peer, TaskSpec Spec)> _forwarded = [];

    /// <summary>
    /// The other live nodes and their resources, and the nodes declared dead (links from those are
    /// refused from now on), from the control service. Tasks held here (no node could run them, or
    /// the link to the one chosen was not up) are placed again.
    /// </summary>
    public void UpdateClusterView(IEnumerable<PeerResources> nodes, IEnumerable<ulong>? dead = null) => Locked(outbox =>
    {
        // Held work is placed again each time: a node joined, or the link to the node chosen for it is up now.
        _view.Update(nodes.Where(n => n.Node != NodeId), dead);
        PlaceHeldActors(outbox);
        if (_scheduler.Infeasible.Count > 0)
        {
            foreach (var spec in _scheduler.TakeInfeasible())
            {
                Submit(spec, outbox, reportHeld: false);
            }

            _scheduler.Dispatch(outbox);
        }
    });

    /// <summary>
    /// Leaves the cluster gracefully: from now on this node takes no new work (what its runtimes
    /// submit goes to other nodes or waits for one; every peer is told to place nothing here), and
    /// the task completes once no task is queued or running here. Actors are not moved: they end
    /// with the node.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        Locked(outbox =>
        {
            _placement.Draining = true;
            foreach (var (node, link) in _peers.All)
            {
                TellDraining(node, link, outbox);
            }
        });

        // Tasks end on workers' messages; a short poll keeps this off their path.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50), _time);
        while (Locked(() => _scheduler.HasTasks))
        {
            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Tells a peer this node is leaving (on every link, and on each link made while it drains).
    private void TellDraining(ulong node, IMessageLink link, Outbox outbox)
    {
        if (_placement.Draining)
        {
            outbox.Add(link, new NodeDraining { Target = ProcessAddress.NodeOf(node), Source = _address });
        }
    }

    /// <summary>Whether this node has a link to node <paramref name="peer"/>.</summary>
    public bool IsLinkedTo(ulong peer) => Locked(() => _peers.TryGet(peer, out _));

    /// <summary>
    /// Drops the link to a node the cluster declared dead: what was routed to its processes fails
    /// now (they count as dead), rather than when its sockets time out.
    /// </summary>
    public async Task DisconnectPeerAsync(ulong peer)
    {
        if (Locked(() => _peers.TryGet(peer, out var link) ? link : null) is PeerLink link)
        {
            await link.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What this node offers: CPUs, store bytes and its custom resources.</summary>
    public IReadOnlyDictionary<string, double> TotalResources { get; private set; } = new Dictionary<string, double>();

    /// <summary>
    /// What is in use now, for heartbeats (other nodes place work by it): CPUs asked by tasks here,
    /// each GPU and custom resource held by running tasks and live actors or asked by tasks queued
    /// here (at most what the node offers), store bytes; and the bytes of object transfers sent
    /// and received since the node started (counters, not resources: `plexus status` shows them,
    /// so a cluster's traffic can be read from outside).
    /// </summary>
    public IReadOnlyDictionary<string, double> UsedResources() => Locked(() =>
    {
        var used = new Dictionary<string, double>
        {
            [Resources.Cpu] = Math.Min(_options.Cpus, _scheduler.CpuDemand),
            [Resources.ObjectStoreMemory] = _store.Used,
            ["transfer_bytes_sent"] = _transfers?.BytesSent ?? 0,
            ["transfer_bytes_received"] = _transfers?.BytesReceived ?? 0,
        };
        foreach (var resource in _scheduler.Resources.Offered)
        {
            used[resource] = Math.Min(_scheduler.Resources.Offer(resource), _scheduler.Demand(resource));
        }

        return used;
    });

    /// <summary>The work held here that no node can run, one line each, for heartbeats and <c>plexus status</c>.</summary>
    public IReadOnlyList<string> InfeasibleWork() => Locked(() =>
        _scheduler.Infeasible.Select(t => $"task {t.DisplayName} ({t.Id}) asks for {Resources.Describe(t)}")
            .Concat(HeldActorSpecs().Select(a => $"actor {a.Constructor.Type} ({a.Id}) asks for {Resources.Describe(Demand.Of(a))}")).ToList());

    // Whether this node has free what the work asks, counting what tasks queued here ask; asked only when the placement needs it.
    private bool RoomHere(Demand work) =>
        _options.Cpus - _scheduler.CpuDemand >= work.Cpus - TaskDispatcher.CpuTolerance
        && (work.Resources is null || work.Resources.All(r => _scheduler.Resources.Offer(r.Key) - _scheduler.Demand(r.Key) >= r.Value - TaskDispatcher.CpuTolerance));

    // What the node's pools share: its CPUs (the embedded pool's slots when WorkerCount asks for more workers than CPUs), GPUs and custom resources.
    private ResourceLedger NewResourceLedger(int poolSlots) => new(Math.Max(_options.Cpus, poolSlots), _options.Resources);

    private ClusterPlacement NewPlacement(int slotsPerWorker)
    {
        var total = new Dictionary<string, double>(_options.Resources)
        {
            [Resources.Cpu] = _options.Cpus,
            [Resources.ObjectStoreMemory] = _options.StoreCapacity,
        };
        TotalResources = total;
        return new ClusterPlacement(NodeId, total, slotsPerWorker, _view);
    }

    // A runtime of this node submitted a task: it runs here or goes to the node chosen for it. Under the lock.
    private void Submit(TaskSpec spec, Outbox outbox, bool reportHeld = true)
    {
        if (reportHeld)
        {
            _events.Record(TaskEventKind.Submitted, spec);
        }

        var choice = _placement.Choose(Demand.Of(spec), RoomHere);
        if (choice.Failure is { } failure)
        {
            var error = ErrorInfo.Of(ErrorKind.NodeUnavailable, failure, spec.Name);
            _events.Record(TaskEventKind.Failed, spec, error: error);
            outbox.Add(spec.Owner, new TaskFinished { Task = spec.Id, Target = spec.Owner, Source = _address, Returns = [], Error = error });
            return;
        }

        if (choice.IsInfeasible)
        {
            if (reportHeld)
            {
                _logger.TaskInfeasibleInCluster(spec.DisplayName, spec.Id, Resources.Describe(spec));
                _scheduler.HoldInfeasible(spec);
            }
            else
            {
                // Held again with each view: recorded once, when it was first found infeasible.
                _scheduler.HoldInfeasibleAgain(spec);
            }

            return;
        }

        if (choice.Node != NodeId && !_peers.TryGet(choice.Node, out _)
            && (spec.Placement.Kind == PlacementKind.NodeAffinity || !_placement.CanEverRunHere(Demand.Of(spec))))
        {
            // Only a node this one is not linked to (yet, or any more) may run it: it waits, placed again with the next
            // view, until the link is up or the node has left the view (then it fails, or goes where it fits).
            if (reportHeld)
            {
                _scheduler.HoldInfeasible(spec);
            }
            else
            {
                _scheduler.HoldInfeasibleAgain(spec);
            }
            return;
        }

        if (choice.Node != NodeId && _peers.TryGet(choice.Node, out var peer))
        {
            _view.Sent(choice.Node, Demand.Of(spec));
            _forwarded[spec.Id] = (choice.Node, spec);
            _events.Record(TaskEventKind.Forwarded, spec, peer: choice.Node);
            outbox.Add(peer, new ForwardTask
            {
                Target = ProcessAddress.NodeOf(choice.Node), Source = _address, Spec = spec, Package = PackageOf(spec.Id.Job), Driver = DriverOf(spec.Id.Job),
            });
            return;
        }

        // Chosen here, or the chosen node's link is not up yet: it waits here.
        if (!_scheduler.Enqueue(spec))
        {
            _logger.TaskInfeasible(spec.DisplayName, spec.Id, spec.Cpus, _scheduler.SlotsPerWorker);
        }
    }

    // A task's result passes back through this node to its owner: it is no longer the peer's to answer for.
    private void OnFinishedFromPeer(Message message)
    {
        // A task dropped for lost arguments is its owner's to submit again, as one that finished.
        var ended = message switch { TaskFinished finished => finished.Task, ArgumentsLost lost => lost.Task, _ => (TaskId?)null };
        if (ended is { } task)
        {
            _remoteCalls.Answered(task);
            _forwarded.Remove(task);
            _cancelledForwarded.Remove(task);
        }
    }

    // The link to a peer is lost: the tasks sent to it run again elsewhere while they have
    // retries left (as if their worker died), and fail saying the node was lost after that.
    private void ReplaceTasksSentTo(ulong peer, Outbox outbox)
    {
        foreach (var (id, (to, spec)) in _forwarded.Where(f => f.Value.Peer == peer).ToList())
        {
            _forwarded.Remove(id);
            if (AnswerCancelledIfLost(spec, to, outbox))
            {
                continue;
            }

            if (spec.Attempt < spec.MaxRetries)
            {
                Submit(spec with { Attempt = spec.Attempt + 1 }, outbox);
                continue;
            }

            outbox.Add(spec.Owner, new TaskFinished
            {
                Task = spec.Id, Target = spec.Owner, Source = _address, Returns = [],
                Error = ErrorInfo.Of(ErrorKind.WorkerCrashed,
                    $"Task '{spec.DisplayName}' was sent to node {to:x16}, which was lost (it died or left the cluster) before the task finished. " +
                    $"That was attempt {spec.Attempt + 1} of {spec.MaxRetries + 1} (TaskOptions.MaxRetries).", spec.Name),
            });
        }

        _scheduler.Dispatch(outbox);
    }

    // A peer sent a task this node was chosen for: it is queued here (never passed on again). Under the lock.
    private void OnForwardedTask(ForwardTask forward, Outbox outbox)
    {
        if (forward.Package is { } package)
        {
            UseJobPackage(forward.Spec.Id.Job, package, outbox, forward.Driver);
        }

        _events.Record(TaskEventKind.Received, forward.Spec);

        if (!_placement.CanEverRunHere(Demand.Of(forward.Spec)) || !_scheduler.Enqueue(forward.Spec))
        {
            // The sender's view was stale: it waits here for a node that fits.
            _scheduler.HoldInfeasible(forward.Spec);
        }

        _scheduler.Dispatch(outbox);
    }
}
