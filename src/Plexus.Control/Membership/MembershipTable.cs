using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Membership;

/// <summary>
/// The cluster's nodes: who registered, who is alive, who died. Writes through to the
/// <see cref="IControlStore"/> on every state change; heartbeats stay in memory.
/// </summary>
/// <remarks>
/// Invariants:
/// <list type="bullet">
/// <item>A node leaves ALIVE only through <see cref="UnregisterAsync"/>,
/// <see cref="MarkDeadIfSilentAsync"/> or a peer's report (<see cref="HeartbeatAsync"/>), and never returns to it: a heartbeat never resurrects a
/// DEAD node (it answers "unknown"), and <see cref="RegisterAsync"/> refuses a DEAD id as fenced.
/// Peers have counted its processes dead and the cluster may have restarted its work elsewhere, so
/// the node must stop what it runs and rejoin as a new node, under a new id. DEAD records are
/// persisted like any other, so fencing survives a service restart over durable storage.</item>
/// <item>Every state change is written to the store before it is visible in <see cref="_nodes"/>,
/// under <see cref="_writeLock"/>, so a restarted service recovers at least what clients saw.</item>
/// </list>
/// </remarks>
internal sealed class MembershipTable
{
    private readonly IControlStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Node id (lower-case hex) -> entry. Replaced under _writeLock; read lock-free.
    private readonly ConcurrentDictionary<string, NodeEntry> _nodes = new(StringComparer.Ordinal);

    // Serializes state changes and their write-through, so the store and _nodes agree on order.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // The RegistrationSequence of the latest registration (or recovered node); guarded by _writeLock.
    private long _lastRegistrationSequence;

    public MembershipTable(IControlStore store, TimeProvider time, ILogger<MembershipTable> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised after a node is marked DEAD (outside any lock).</summary>
    public event Action<NodeDiedEventArgs>? NodeDied;

    /// <summary>
    /// Recovers nodes from the store. Their heartbeat clocks start now, so nodes that are still
    /// running get a full timeout to reach the restarted service before they are declared dead.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        long now = _time.GetTimestamp();
        var recovered = (await _store.GetAllAsync(ControlTables.Nodes, cancellationToken))
            .Select(static e => (e.Key, Record: Proto.NodeInfo.Parser.ParseFrom(e.Value)))
            .OrderBy(static e => e.Record.RegisteredUnixMs)
            .ThenBy(static e => e.Key, StringComparer.Ordinal);
        foreach (var (key, record) in recovered)
        {
            _nodes[key] = new NodeEntry(key, ++_lastRegistrationSequence, record, now, EmptyUsage);
        }
    }

    public async Task<Proto.RegisterNodeReply> RegisterAsync(Proto.RegisterNodeRequest request, TimeSpan heartbeatInterval, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexStringLower(request.NodeId.Span);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_nodes.TryGetValue(key, out var existing) && !existing.IsAlive)
            {
                string reason = $"node {key} was declared dead ({existing.Record.DeathReason}): a node declared dead is never admitted again; " +
                    "it must stop what it runs and rejoin as a new node, under a new id";
                ControlLog.NodeRejected(_logger, key, request.Address, reason);
                return new Proto.RegisterNodeReply { Accepted = false, Fenced = true, RejectReason = reason };
            }

            // A live node keeps its id: a second registration from elsewhere is a collision or an
            // impostor. The same address re-registering (the service restarted and forgot it) replaces the entry.
            if (existing is not null && existing.Record.Address != request.Address)
            {
                string reason = $"node id {key} is already registered by a live node at {existing.Record.Address}";
                ControlLog.NodeRejected(_logger, key, request.Address, reason);
                return new Proto.RegisterNodeReply { Accepted = false, RejectReason = reason };
            }

            var record = new Proto.NodeInfo
            {
                NodeId = request.NodeId,
                Address = request.Address,
                Pid = request.Pid,
                Incarnation = request.Incarnation,
                State = Proto.NodeState.Alive,
                RegisteredUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            record.Resources.Add(request.Resources);
            await _store.PutAsync(ControlTables.Nodes, key, record.ToByteArray(), cancellationToken);
            _nodes[key] = new NodeEntry(key, ++_lastRegistrationSequence, record, _time.GetTimestamp(), EmptyUsage);
        }
        finally
        {
            _writeLock.Release();
        }

        ControlLog.NodeRegistered(_logger, key, request.Address, request.Pid);
        return new Proto.RegisterNodeReply
        {
            Accepted = true,
            HeartbeatIntervalMs = (long)heartbeatInterval.TotalMilliseconds,
        };
    }

    /// <summary>
    /// Records a heartbeat and acts on the peers it reports unreachable (see
    /// <see cref="UnreachableVerdicts"/>); false when the node is unknown or DEAD and must register
    /// again (its reports are then ignored).
    /// </summary>
    public async Task<bool> HeartbeatAsync(
        ByteString nodeId, IReadOnlyDictionary<string, double> resourceUsage, IReadOnlyList<string> infeasible,
        IEnumerable<ByteString> unreachablePeers, TimeSpan heartbeatInterval, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexStringLower(nodeId.Span);
        if (!_nodes.TryGetValue(key, out var entry) || !entry.IsAlive)
        {
            return false;
        }

        entry.RecordHeartbeat(_time.GetTimestamp(), resourceUsage.Count == 0 ? null : resourceUsage, infeasible);
        var streaks = entry.CountUnreachable(unreachablePeers.Select(static p => Convert.ToHexStringLower(p.Span)));
        if (streaks.Count > 0)
        {
            foreach (var verdict in UnreachableVerdicts.Decide(key, streaks, SilenceOf, heartbeatInterval))
            {
                await MarkUnreachableAsync(verdict, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    // How long a live node has been silent; null when it is unknown or not ALIVE.
    private TimeSpan? SilenceOf(string key) =>
        _nodes.TryGetValue(key, out var entry) && entry.IsAlive ? _time.GetElapsedTime(entry.LastHeartbeatTimestamp) : null;

    private async Task MarkUnreachableAsync(UnreachableVerdict verdict, CancellationToken cancellationToken)
    {
        var died = await MarkDeadAsync(verdict.Key, NodeDeathCause.Unreachable, verdict.SilentAtLeast, cancellationToken, verdict.Reason);
        if (died is not null)
        {
            ControlLog.NodeDeclaredUnreachable(_logger, verdict.Key, died.Address, verdict.Reason);
            NodeDied?.Invoke(died);
        }
    }

    /// <summary>
    /// A live node whose resources cover <paramref name="demand"/> to host an actor again:
    /// <paramref name="preferred"/> when it is one, else the one using the fewest CPUs by its latest
    /// heartbeat (the earliest registered among equals); null when no live node could host it.
    /// </summary>
    public ByteString? ChooseHost(IReadOnlyDictionary<string, double> demand, ByteString preferred)
    {
        var fitting = _nodes.Values.Where(e => e.IsAlive && demand.All(d => d.Value <= 0 || e.Record.Resources.GetValueOrDefault(d.Key) >= d.Value)).ToList();
        var chosen = fitting.Find(e => e.Record.NodeId == preferred)
            ?? fitting.OrderBy(e => e.ResourceUsage.GetValueOrDefault("CPU")).ThenBy(e => e.RegistrationSequence).FirstOrDefault();
        return chosen?.Record.NodeId;
    }

    /// <summary>Whether the node is registered and ALIVE (a lock-free read).</summary>
    public bool IsAlive(ByteString nodeId) =>
        _nodes.TryGetValue(Convert.ToHexStringLower(nodeId.Span), out var entry) && entry.IsAlive;

    public async Task<bool> UnregisterAsync(ByteString nodeId, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexStringLower(nodeId.Span);
        var died = await MarkDeadAsync(key, NodeDeathCause.Unregistered, silenceAtLeast: null, cancellationToken);
        if (died is not null)
        {
            ControlLog.NodeUnregistered(_logger, key, died.Address);
            NodeDied?.Invoke(died);
        }

        return died is not null;
    }

    /// <summary>
    /// Marks the node DEAD if it is still ALIVE and has been silent for at least
    /// <paramref name="timeout"/>. The silence is checked again under the write lock, so a
    /// heartbeat that arrived after the caller's scan saves the node.
    /// </summary>
    public async Task<bool> MarkDeadIfSilentAsync(string key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var died = await MarkDeadAsync(key, NodeDeathCause.HeartbeatTimeout, timeout, cancellationToken);
        if (died is not null)
        {
            ControlLog.NodeTimedOut(_logger, key, died.Address, (long)died.LastHeartbeatAge.TotalMilliseconds);
            NodeDied?.Invoke(died);
        }

        return died is not null;
    }

    /// <summary>Live nodes silent for at least <paramref name="timeout"/> as of now (a lock-free scan).</summary>
    public IEnumerable<string> FindSilent(TimeSpan timeout)
    {
        long now = _time.GetTimestamp();
        foreach (var entry in _nodes.Values)
        {
            if (entry.IsAlive && _time.GetElapsedTime(entry.LastHeartbeatTimestamp, now) >= timeout)
            {
                yield return entry.Key;
            }
        }
    }

    public Proto.ListNodesReply List()
    {
        long now = _time.GetTimestamp();
        var reply = new Proto.ListNodesReply();
        reply.Nodes.AddRange(_nodes.Values.OrderBy(static e => e.RegistrationSequence).Select(e => e.ToWire(_time, now)));
        return reply;
    }

    private async Task<NodeDiedEventArgs?> MarkDeadAsync(
        string key, NodeDeathCause cause, TimeSpan? silenceAtLeast, CancellationToken cancellationToken, string? reason = null)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!_nodes.TryGetValue(key, out var entry) || !entry.IsAlive)
            {
                return null;
            }

            var silence = _time.GetElapsedTime(entry.LastHeartbeatTimestamp);
            if (silence < silenceAtLeast)
            {
                return null;
            }

            var record = entry.Record.Clone();
            record.State = Proto.NodeState.Dead;
            record.DeathReason = reason ?? (cause == NodeDeathCause.Unregistered
                ? "unregistered"
                : $"no heartbeat for {(long)silence.TotalMilliseconds} ms");
            await _store.PutAsync(ControlTables.Nodes, key, record.ToByteArray(), cancellationToken);
            _nodes[key] = entry.WithRecord(record);
            return new NodeDiedEventArgs(record.NodeId.ToByteArray(), record.Address, cause, silence);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static readonly IReadOnlyDictionary<string, double> EmptyUsage = new Dictionary<string, double>();
}
