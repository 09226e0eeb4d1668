using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Node;

namespace Plexus.Hosting.Cluster;

/// <summary>The control service would not register the node.</summary>
internal sealed class NodeRefusedException(string message) : Exception(message);

/// <summary>
/// Keeps a node in the cluster: registers it with the control service, heartbeats with its load
/// and the work no node can run, and after each heartbeat reads the cluster's live nodes, which
/// it hands to the node (its resource view: never asked per task) and to the
/// <see cref="PeerConnector"/>, and the jobs that finished since (<see cref="FinishedJobsReader"/>).
/// A node the service declared dead is disconnected at once; one the service forgot (it
/// restarted) registers again. When the service declared this node itself dead (a partition longer
/// than the timeout), it is fenced: <see cref="Fenced"/> completes and heartbeats stop, since the
/// id is never admitted again and peers count its processes as dead.
/// </summary>
internal sealed class ClusterMembership(NodeDaemon node, IControlClient control, PeerConnector peers, string address, TimeSpan interval, ILogger logger)
    : IAsyncDisposable
{
    /// <summary>How often a node heartbeats and refreshes its view of the cluster.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(500);

    private readonly byte[] _nodeId = ControlIds.Node(node.NodeId);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Completed with the service's reason once it refuses this node as declared dead.
    private readonly TaskCompletionSource<string> _fenced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FinishedJobsReader _finishedJobs = new(control, node.RetireJobs);
    private Task _running = Task.CompletedTask;
    // Reports the node's task events and workers to the state API, from registration until the node leaves.
    private TaskEventShipper? _taskEvents;

    // The incarnation of the service that answered the latest heartbeat; only the heartbeat loop touches it.
    private string? _serviceIncarnation;

    /// <summary>Called with each heartbeat answer, for the work it hands this node beside actor restarts (submitted drivers); null: none is taken.</summary>
    public Action<HeartbeatAnswer>? Answered { get; init; }

    /// <summary>Faults when the control service refuses to take the node back after forgetting it: the node cannot serve the cluster.</summary>
    public Task Refused => _refused.Task;

    /// <summary>
    /// Completes, with the service's reason, when the service declared this node dead and refuses
    /// it back: whatever the node runs must stop, and a new node (a new id) may join in its place.
    /// Never completes otherwise.
    /// </summary>
    public Task<string> Fenced => _fenced.Task;

    /// <summary>Registers the node (throws what the control client throws when the head is unreachable or refuses) and starts heartbeating.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await RegisterAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new NodeRefusedException($"The control service refused this node: {await Fenced.ConfigureAwait(false)}");
        }

        await RefreshViewAsync(cancellationToken).ConfigureAwait(false);
        _running = RunAsync();
        _taskEvents = new TaskEventShipper(node, control.ReportTaskEventsAsync, TaskEventShipper.DefaultInterval, TimeProvider.System, logger);
    }

    // False when the node is fenced (Fenced is then complete); throws when the service refuses it otherwise.
    private async Task<bool> RegisterAsync(CancellationToken cancellationToken)
    {
        var registration = await control.RegisterNodeAsync(_nodeId, address, node.TotalResources, Environment.ProcessId, node.Incarnation, cancellationToken).ConfigureAwait(false);
        if (registration.Fenced)
        {
            logger.LogError("This node was declared dead by the cluster and is fenced: {Reason}", registration.RejectReason);
            _fenced.TrySetResult(registration.RejectReason ?? "declared dead");
            return false;
        }

        if (!registration.Accepted)
        {
            throw new NodeRefusedException($"The control service refused this node: {registration.RejectReason}");
        }

        // The first heartbeat at once, so the node is listed with its use from the moment it serves, not a period later.
        await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    // The restarts the service asks of this node (actors whose node died) go to the node, which makes each once.
    private async Task<bool> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var answer = await control.HeartbeatAsync(
            _nodeId, node.UsedResources(), node.InfeasibleWork(), [.. node.UnreachablePeers().Select(ControlIds.Node)], cancellationToken).ConfigureAwait(false);
        if (answer.Assignments.Count > 0)
        {
            node.RestartActors([.. answer.Assignments.Select(ToRestart).OfType<ActorRestartAssignment>()]);
        }

        Answered?.Invoke(answer);

        return answer.Known;
    }

    private ActorRestartAssignment? ToRestart(ActorAssignment assignment)
    {
        if (ActorSpecs.Decode(assignment.Actor.Spec) is { } actor)
        {
            return new ActorRestartAssignment(actor, assignment.Actor.Incarnation, assignment.Checkpoint);
        }

        logger.LogWarning("The control service asked this node to restart actor {Actor}, whose spec it cannot read; the actor is not restarted",
            Convert.ToHexStringLower(assignment.Actor.ActorId));
        return null;
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(interval);
        while (await WaitAsync(timer).ConfigureAwait(false))
        {
            try
            {
                if (!await HeartbeatAsync(_stopping.Token).ConfigureAwait(false) && !await RegisterAsync(_stopping.Token).ConfigureAwait(false))
                {
                    return;
                }

                NoteServiceIncarnation();

                await RefreshViewAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (NodeRefusedException e)
            {
                _refused.TrySetException(e);
                return;
            }
            catch (Exception e) when (e is ControlServiceUnavailableException or InvalidOperationException or ArgumentException)
            {
                // The head is down or restarting: the node keeps running its work and tries again.
                logger.LogWarning("Heartbeat to the control service failed: {Reason}", e.Message);
            }
        }
    }

    // A restarted service has reloaded its tables (file or Redis storage): the view and the job
    // table (whose own incarnation changed with it) are read again in full right after this.
    private void NoteServiceIncarnation()
    {
        var now = control.ServiceIncarnation;
        if (now is not null && _serviceIncarnation is { } before && now != before)
        {
            logger.LogWarning("The control service restarted (incarnation {Before} is now {Now}): reading the cluster again", before, now);
        }

        _serviceIncarnation = now ?? _serviceIncarnation;
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RefreshViewAsync(CancellationToken cancellationToken)
    {
        var nodes = await control.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var alive = nodes.Where(n => n.State == NodeState.Alive).Select(n => (Id: ControlIds.NodeOf(n.NodeId), Info: n))
            .Where(n => n.Id != 0 && n.Id != node.NodeId).ToList();
        var dead = nodes.Where(n => n.State == NodeState.Dead).Select(n => ControlIds.NodeOf(n.NodeId)).ToList();
        node.UpdateClusterView(alive.Select(n => new PeerResources(n.Id, n.Info.Resources, n.Info.ResourceUsage, n.Info.Incarnation)), dead);
        peers.LinkTo(alive.Select(n => (n.Id, n.Info.Address)));
        await _finishedJobs.ReadAsync(cancellationToken).ConfigureAwait(false);
        foreach (var peer in dead)
        {
            if (node.IsLinkedTo(peer))
            {
                logger.LogWarning("Node {Node:x16} was declared dead: its link is dropped and its processes count as dead", peer);
                await node.DisconnectPeerAsync(peer).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops heartbeating and leaves the cluster (the service marks the node dead at once).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        // Its last events are reported while the node is still registered.
        if (_taskEvents is not null)
        {
            await _taskEvents.DisposeAsync().ConfigureAwait(false);
        }

        // A fenced node is DEAD already: there is nothing to leave.
        if (!Fenced.IsCompleted)
        {
            await LeaveAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task LeaveAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await control.UnregisterNodeAsync(_nodeId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ControlServiceUnavailableException or OperationCanceledException or InvalidOperationException)
        {
            logger.LogWarning("Could not tell the control service this node leaves: {Reason}", e.Message);
        }
    }
}
