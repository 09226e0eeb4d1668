using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Actors;

/// <summary>
/// The cluster's actors as their nodes registered them, and the names live ones hold: a name is
/// unique per namespace among live actors, cluster-wide. An actor is ALIVE from its registration
/// until it ends (its node says so), its node dies, or its job finishes (unless detached); then it
/// is DEAD, kept with the reason and its end time, and its name is free. Only the most recently
/// ended dead actors are kept (a cap), so a cluster creating short-lived actors for ever does not
/// grow its table for ever; live actors are never dropped.
/// </summary>
/// <remarks>
/// Every change is written to the <see cref="IControlStore"/> before it is visible, under one lock,
/// so the store and the cache agree on order and a restarted service recovers at least what its
/// clients saw. Reads (<see cref="Lookup"/>, <see cref="List"/>) take no lock.
///
/// A named actor no node can host yet is registered PENDING by the node holding it: it is live
/// (its name is taken, a lookup finds it at that node, it ends with that node or its job). The
/// node that hosts it in the end registers the same actor ALIVE, which moves the record there
/// (same id, so not a duplicate of itself); only a pending record moves, so one actor is never
/// alive on two nodes.
///
/// A forgotten dead actor is unknown: registering its id again would succeed, which no node does
/// (an actor id is never reused).
///
/// Restartable actors (<c>max_restarts</c> not 0) are counted here: the node hosting one whose
/// worker died reports it (<see cref="ReportFailureAsync"/>) and builds it again, on the same node,
/// when the table says so (<see cref="ActorRestartPolicy"/>); an unnamed one is recorded by its first
/// report. Their checkpoints (<see cref="ActorCheckpointTable"/>) are part of the table. Neither a
/// report nor a checkpoint is taken from a node that is not alive, so a node declared dead cannot
/// overwrite what the actor's next incarnation saves.
///
/// A restartable actor is registered with its spec when it is created, so that when its node dies
/// (<see cref="NodeDiedAsync"/>) the table can have it built again elsewhere: it becomes RESTARTING
/// with its next incarnation and a restarter (a live node that can host it, its creator's first),
/// which learns of it from its heartbeat replies (<see cref="AssignmentsOf"/>) until it registers
/// the actor ALIVE. Being records, restarts due survive a restart of the service: one due while the
/// service was down is decided once the service declares the silent node dead.
/// </remarks>
internal sealed class ActorTable
{
    private readonly IControlStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // How many dead actors are kept at most.
    private readonly int _deadActorHistory;

    // Actor id (lower-case hex) -> record, PENDING, ALIVE and DEAD. Records are never mutated; a change replaces them.
    private readonly ConcurrentDictionary<string, Proto.ActorInfo> _actors = new(StringComparer.Ordinal);

    // (namespace, name) -> the id (hex) of the live actor holding it. Changed under _writeLock with _actors.
    private readonly ConcurrentDictionary<(string Namespace, string Name), string> _names = new();

    // The ids (hex) of the dead actors kept, oldest end first: the next one to forget is at the
    // front. Guarded by _writeLock.
    private readonly Queue<string> _deadByEnd = new();

    // Serializes changes and their write-through.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Restartable actors' newest checkpoints; changed under _writeLock.
    private readonly ActorCheckpointTable _checkpoints;

    // The ids (hex) of the RESTARTING actors, for the heartbeats that hand their restarts out. Changed under _writeLock.
    private readonly ConcurrentDictionary<string, byte> _restarting = new(StringComparer.Ordinal);

    /// <param name="store">Where the records are written through.</param>
    /// <param name="time">Stamps the end time of dead actors.</param>
    /// <param name="deadActorHistory">How many dead actors to keep (the most recently ended); 0 or more.</param>
    /// <param name="logger">Where registrations and ends are logged.</param>
    public ActorTable(IControlStore store, TimeProvider time, int deadActorHistory, ILogger<ActorTable> logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deadActorHistory);
        _store = store;
        _time = time;
        _deadActorHistory = deadActorHistory;
        _logger = logger;
        _checkpoints = new ActorCheckpointTable(store);
    }

    /// <summary>Recovers the table from the store, forgetting the oldest dead actors beyond the cap (it may have been lowered).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var dead = new List<(long EndUnixMs, string Key)>();
        foreach (var (key, value) in await _store.GetAllAsync(ControlTables.Actors, cancellationToken))
        {
            var record = Proto.ActorInfo.Parser.ParseFrom(value);
            _actors[key] = record;
            if (record.State == Proto.ActorState.Dead)
            {
                dead.Add((record.EndUnixMs, key));
            }
            else
            {
                if (record.Name.Length > 0)
                {
                    _names[(record.Namespace, record.Name)] = key;
                }

                if (record.State == Proto.ActorState.Restarting)
                {
                    _restarting[key] = 0;
                }
            }
        }

        // End times have millisecond resolution: ties are broken by id, the only order left after a restart.
        foreach (var (_, key) in dead.OrderBy(static d => d.EndUnixMs).ThenBy(static d => d.Key, StringComparer.Ordinal))
        {
            _deadByEnd.Enqueue(key);
        }

        await _checkpoints.LoadAsync(cancellationToken);
        await ForgetOldestDeadAsync(cancellationToken);
    }

    /// <summary>Every actor the table remembers: the live ones and the most recently ended dead ones.</summary>
    public IReadOnlyList<Proto.ActorInfo> List() => _actors.Values.Select(static a => a.Clone()).ToList();

    /// <summary>
    /// Adds a live actor (PENDING when <paramref name="actor"/> says so, else ALIVE); when a live
    /// actor holds its name already, the reply says so and names that actor. Registering a live
    /// actor again from its node is a no-op (a retried call is harmless); registering a PENDING
    /// one again moves it to the registering node, ALIVE or still PENDING as the request says.
    /// </summary>
    /// <param name="actor">The actor, its fields validated by the caller.</param>
    /// <param name="nodeAlive">Whether a node is alive, asked under the table's lock: an actor of a dead node would hold its name for ever.</param>
    /// <param name="cancellationToken">Abandons the wait for the lock.</param>
    /// <exception cref="InvalidOperationException">Its node is not alive, the actor ended before, or it is ALIVE on another node.</exception>
    public async Task<Proto.RegisterActorReply> RegisterAsync(Proto.ActorInfo actor, Func<ByteString, bool> nodeAlive, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexStringLower(actor.ActorId.Span);
        var state = actor.State == Proto.ActorState.Pending ? Proto.ActorState.Pending : Proto.ActorState.Alive;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_actors.TryGetValue(key, out var known))
            {
                if (known.State == Proto.ActorState.Dead)
                {
                    throw new InvalidOperationException($"actor {key} ended ({known.DeathReason}); an actor cannot be registered again");
                }

                if (known.State == Proto.ActorState.Alive)
                {
                    return known.NodeId == actor.NodeId
                        ? new Proto.RegisterActorReply { Registered = true }
                        : throw new InvalidOperationException(
                            $"actor {key} is alive on node {Convert.ToHexStringLower(known.NodeId.Span)}; node " +
                            $"{Convert.ToHexStringLower(actor.NodeId.Span)} cannot host it too (only a pending actor moves to the node that hosts it)");
                }

                if (known.State == Proto.ActorState.Restarting)
                {
                    return await RestartedAsync(key, known, actor.NodeId, nodeAlive, cancellationToken);
                }

                // PENDING: a retry of its holding node's registration, or the node hosting it in the end (which may be the holding node).
                return known.NodeId == actor.NodeId && known.State == state
                    ? new Proto.RegisterActorReply { Registered = true }
                    : await MoveAsync(key, known, actor.NodeId, state, nodeAlive, cancellationToken);
            }

            if (actor.Name.Length > 0 && _names.TryGetValue((actor.Namespace, actor.Name), out var holder))
            {
                return new Proto.RegisterActorReply { Registered = false, Holder = _actors[holder].Clone() };
            }

            ThrowUnlessAlive(nodeAlive, actor.NodeId, key);
            var record = actor.Clone();
            record.State = state;
            record.DeathReason = string.Empty;
            record.EndUnixMs = 0;
            await _store.PutAsync(ControlTables.Actors, key, record.ToByteArray(), cancellationToken);
            _actors[key] = record;
            if (record.Name.Length > 0)
            {
                _names[(record.Namespace, record.Name)] = key;
            }
        }
        finally
        {
            _writeLock.Release();
        }

        ControlLog.ActorRegistered(_logger, key, actor.Namespace, actor.Name, Convert.ToHexStringLower(actor.NodeId.Span));
        return new Proto.RegisterActorReply { Registered = true };
    }

    // Under _writeLock: a pending actor goes to the node that registers it again (the one hosting it in the end), keeping its name.
    private async Task<Proto.RegisterActorReply> MoveAsync(
        string key, Proto.ActorInfo known, ByteString node, Proto.ActorState state, Func<ByteString, bool> nodeAlive, CancellationToken cancellationToken)
    {
        ThrowUnlessAlive(nodeAlive, node, key);
        var record = known.Clone();
        record.NodeId = node;
        record.State = state;
        await _store.PutAsync(ControlTables.Actors, key, record.ToByteArray(), cancellationToken);
        _actors[key] = record;
        ControlLog.ActorMoved(_logger, key, Convert.ToHexStringLower(known.NodeId.Span), Convert.ToHexStringLower(node.Span));
        return new Proto.RegisterActorReply { Registered = true };
    }

    // Under _writeLock: the node the table chose built the restarting actor again; it is ALIVE there.
    // With no restarter chosen (no live node could host it when its node died), the first live node that registers it has it.
    private async Task<Proto.RegisterActorReply> RestartedAsync(
        string key, Proto.ActorInfo known, ByteString node, Func<ByteString, bool> nodeAlive, CancellationToken cancellationToken)
    {
        if (!known.RestarterNodeId.IsEmpty && known.RestarterNodeId != node)
        {
            throw new InvalidOperationException(
                $"actor {key} is being restarted on node {Convert.ToHexStringLower(known.RestarterNodeId.Span)}; node {Convert.ToHexStringLower(node.Span)} cannot host it");
        }

        ThrowUnlessAlive(nodeAlive, node, key);
        var record = known.Clone();
        record.NodeId = node;
        record.State = Proto.ActorState.Alive;
        record.RestarterNodeId = ByteString.Empty;
        await _store.PutAsync(ControlTables.Actors, key, record.ToByteArray(), cancellationToken);
        _actors[key] = record;
        _restarting.TryRemove(key, out _);
        ControlLog.ActorRestarted(_logger, key, record.Incarnation, Convert.ToHexStringLower(node.Span));
        return new Proto.RegisterActorReply { Registered = true };
    }

    private static void ThrowUnlessAlive(Func<ByteString, bool> nodeAlive, ByteString node, string actor)
    {
        if (!nodeAlive(node))
        {
            throw new InvalidOperationException(
                $"node {Convert.ToHexStringLower(node.Span)} is not alive in the cluster, so it cannot host actor {actor}");
        }
    }

    /// <summary>The live actor holding <paramref name="name"/> in <paramref name="namespace"/>; an empty reply when none does.</summary>
    public Proto.LookupActorReply Lookup(string @namespace, string name) =>
        _names.TryGetValue((@namespace, name), out var key) && _actors.TryGetValue(key, out var actor)
            ? new Proto.LookupActorReply { Actor = actor.Clone() }
            : new Proto.LookupActorReply();

    /// <summary>The actor of <paramref name="actorId"/> in any state the table remembers; an empty reply when it does not know it.</summary>
    public Proto.LookupActorReply LookupById(ByteString actorId) =>
        _actors.TryGetValue(Convert.ToHexStringLower(actorId.Span), out var actor)
            ? new Proto.LookupActorReply { Actor = actor.Clone() }
            : new Proto.LookupActorReply();

    /// <summary>
    /// The actor ended: it is marked DEAD with <paramref name="reason"/>, and its checkpoint goes
    /// (also for an unnamed restartable actor the table never heard of). Idempotent; an unknown actor
    /// is otherwise ignored. Told by a node (<paramref name="node"/> not empty) that does not host
    /// it, or while it is being restarted, nothing changes: a node declared dead must not end the
    /// actor restarted (or being restarted) elsewhere.
    /// </summary>
    public async Task EndAsync(ByteString actorId, string reason, ByteString node, CancellationToken cancellationToken)
    {
        if (!node.IsEmpty && _actors.TryGetValue(Convert.ToHexStringLower(actorId.Span), out var known)
            && (known.NodeId != node || known.State == Proto.ActorState.Restarting))
        {
            return;
        }

        await MarkDeadAsync(record => record.ActorId == actorId && (node.IsEmpty || record.NodeId == node), reason, ActorDeathCause.Unknown, cancellationToken);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _checkpoints.DeleteAsync(Convert.ToHexStringLower(actorId.Span), cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// A node died: every live actor it hosted or held is marked DEAD, except the restartable ones
    /// with restarts left (and, unless detached, a live creator), which become RESTARTING with
    /// their next incarnation and a restarter chosen by <paramref name="chooseHost"/>. A restarting
    /// actor whose restarter died gets another (not counted again).
    /// </summary>
    /// <param name="nodeId">The node that died.</param>
    /// <param name="nodeAlive">Whether a node is alive (for creators).</param>
    /// <param name="chooseHost">A live node that can host an actor of a demand, the given one first; null when none can.</param>
    /// <param name="cancellationToken">Abandons the wait for the lock.</param>
    public async Task NodeDiedAsync(
        ByteString nodeId, Func<ByteString, bool> nodeAlive, Func<IReadOnlyDictionary<string, double>, ByteString, ByteString?> chooseHost, CancellationToken cancellationToken)
    {
        string node = Convert.ToHexStringLower(nodeId.Span);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var affected = _actors.Where(a => a.Value.State != Proto.ActorState.Dead
                && (a.Value.NodeId == nodeId || (a.Value.State == Proto.ActorState.Restarting && a.Value.RestarterNodeId == nodeId))).ToList();
            foreach (var (key, actor) in affected)
            {
                await AfterNodeDiedAsync(key, actor, node, nodeAlive, chooseHost, cancellationToken);
            }

            await ForgetOldestDeadAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // Under _writeLock: what becomes of one actor of a node that died.
    private async Task AfterNodeDiedAsync(
        string key, Proto.ActorInfo actor, string node, Func<ByteString, bool> nodeAlive,
        Func<IReadOnlyDictionary<string, double>, ByteString, ByteString?> chooseHost, CancellationToken cancellationToken)
    {
        string died = $"its node {node} died or left the cluster";
        if (actor.MaxRestarts == 0 || actor.Spec.IsEmpty)
        {
            await MarkRecordDeadAsync(key, actor, died, ActorDeathCause.NodeDied, cancellationToken);
            return;
        }

        if (!actor.Detached && !nodeAlive(actor.OwnerNodeId))
        {
            await MarkRecordDeadAsync(key, actor, $"{died}, and so did its creator (it is not detached)", ActorDeathCause.CreatorExited, cancellationToken);
            return;
        }

        var restarting = actor.Clone();
        if (actor.State != Proto.ActorState.Restarting)
        {
            if (ActorRestartPolicy.Decide(actor, actor.Incarnation) == ActorRestartPolicy.Outcome.Exhausted)
            {
                var reason = Plexus.Protocol.Messages.ActorDeathReasons.RestartsExhausted(key, actor.ClassName, actor.NumRestarts, ActorDeathCause.NodeDied);
                await MarkRecordDeadAsync(key, actor, reason, ActorDeathCause.RestartsExhausted, cancellationToken);
                return;
            }

            restarting.NumRestarts++;
            restarting.Incarnation++;
            restarting.State = Proto.ActorState.Restarting;
        }

        restarting.RestarterNodeId = chooseHost(actor.Demand, actor.OwnerNodeId) ?? ByteString.Empty;
        await _store.PutAsync(ControlTables.Actors, key, restarting.ToByteArray(), cancellationToken);
        _actors[key] = restarting;
        _restarting[key] = 0;
        ControlLog.ActorRestarting(_logger, key, restarting.Incarnation, node, Convert.ToHexStringLower(restarting.RestarterNodeId.Span));
    }

    /// <summary>
    /// The restarts <paramref name="nodeId"/> must make: the RESTARTING actors it was chosen for,
    /// and those no node was chosen for when their node died that it can host now
    /// (<paramref name="chooseHost"/> picks it), each with its last checkpoint. A lock-free read.
    /// </summary>
    public IReadOnlyList<Proto.ActorAssignment> AssignmentsOf(ByteString nodeId, Func<IReadOnlyDictionary<string, double>, ByteString, ByteString?> chooseHost)
    {
        if (_restarting.IsEmpty)
        {
            return [];
        }

        var assignments = new List<Proto.ActorAssignment>();
        foreach (var key in _restarting.Keys)
        {
            if (_actors.TryGetValue(key, out var actor) && actor.State == Proto.ActorState.Restarting
                && (actor.RestarterNodeId.IsEmpty ? chooseHost(actor.Demand, actor.OwnerNodeId) == nodeId : actor.RestarterNodeId == nodeId))
            {
                assignments.Add(new Proto.ActorAssignment { Actor = actor.Clone(), Checkpoint = _checkpoints.StateOf(key) });
            }
        }

        return assignments;
    }

    /// <summary>A job finished: its live actors that are not detached are marked DEAD.</summary>
    public Task JobFinishedAsync(ByteString jobId, CancellationToken cancellationToken) =>
        MarkDeadAsync(
            record => record.JobId == jobId && !record.Detached,
            $"its job {Convert.ToHexStringLower(jobId.Span)} finished (the actor is not detached)",
            ActorDeathCause.JobFinished,
            cancellationToken);

    /// <summary>
    /// Incarnation <c>failure.incarnation</c> of a restartable actor died on the reporting node: the
    /// answer is its next incarnation (with its last checkpoint), or DEAD once its restarts are used up.
    /// </summary>
    /// <exception cref="InvalidOperationException">The reporting node is not alive, or another node hosts the actor.</exception>
    public async Task<Proto.ActorDecision> ReportFailureAsync(Proto.ActorFailure failure, Func<ByteString, bool> nodeAlive, CancellationToken cancellationToken)
    {
        var reported = failure.Actor;
        string key = Convert.ToHexStringLower(reported.ActorId.Span);
        var cause = (ActorDeathCause)failure.Cause;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowUnlessAlive(nodeAlive, reported.NodeId, key);
            var known = _actors.TryGetValue(key, out var record) ? record : NewRestartable(reported);
            if (known.MaxRestarts != reported.MaxRestarts && known.State != Proto.ActorState.Dead)
            {
                // Its registration (by name) does not say; the node reporting it has its options.
                known = known.Clone();
                known.MaxRestarts = reported.MaxRestarts;
            }
            if (known.State == Proto.ActorState.Dead)
            {
                return new Proto.ActorDecision { Reason = $"Actor {key} ended: {known.DeathReason}", Cause = known.DeathCause };
            }

            if (known.NodeId != reported.NodeId)
            {
                throw new InvalidOperationException(
                    $"actor {key} is hosted by node {Convert.ToHexStringLower(known.NodeId.Span)}; node {Convert.ToHexStringLower(reported.NodeId.Span)} cannot report its death");
            }

            switch (ActorRestartPolicy.Decide(known, failure.Incarnation))
            {
                case ActorRestartPolicy.Outcome.Exhausted:
                    var reason = Plexus.Protocol.Messages.ActorDeathReasons.RestartsExhausted(key, known.ClassName, known.NumRestarts, cause);
                    await MarkRecordDeadAsync(key, known, reason, ActorDeathCause.RestartsExhausted, cancellationToken);
                    await ForgetOldestDeadAsync(cancellationToken);
                    return new Proto.ActorDecision { Reason = reason, Cause = (int)ActorDeathCause.RestartsExhausted };
                case ActorRestartPolicy.Outcome.Restart:
                    var restarted = known.Clone();
                    restarted.NumRestarts++;
                    restarted.Incarnation = failure.Incarnation + 1;
                    await _store.PutAsync(ControlTables.Actors, key, restarted.ToByteArray(), cancellationToken);
                    _actors[key] = restarted;
                    known = restarted;
                    break;
            }

            return new Proto.ActorDecision { Restart = true, Incarnation = known.Incarnation, Checkpoint = _checkpoints.StateOf(key) };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // An unnamed restartable actor the table hears of for the first time: alive on the reporting node, never restarted yet.
    private static Proto.ActorInfo NewRestartable(Proto.ActorInfo reported)
    {
        var record = reported.Clone();
        record.State = Proto.ActorState.Alive;
        record.NumRestarts = 0;
        record.Incarnation = 0;
        record.DeathReason = string.Empty;
        record.DeathCause = 0;
        record.EndUnixMs = 0;
        return record;
    }

    /// <summary>Keeps a restartable actor's saved state for its restarts, unless a newer one is kept.</summary>
    /// <exception cref="ArgumentException">The state is larger than <see cref="ActorCheckpointTable.MaxStateBytes"/>.</exception>
    /// <exception cref="InvalidOperationException">The saving node is not alive, or the actor is dead or hosted by another node.</exception>
    public async Task PutCheckpointAsync(Proto.ActorCheckpoint checkpoint, Func<ByteString, bool> nodeAlive, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexStringLower(checkpoint.ActorId.Span);
        if (checkpoint.State.Length > ActorCheckpointTable.MaxStateBytes)
        {
            throw new ArgumentException(
                $"the checkpoint of actor {key} is {checkpoint.State.Length} bytes; the control service keeps at most {ActorCheckpointTable.MaxStateBytes}: save a smaller state");
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowUnlessAlive(nodeAlive, checkpoint.NodeId, key);
            if (_actors.TryGetValue(key, out var known) && (known.State == Proto.ActorState.Dead || known.NodeId != checkpoint.NodeId))
            {
                throw new InvalidOperationException(
                    $"actor {key} is {(known.State == Proto.ActorState.Dead ? "dead" : $"hosted by node {Convert.ToHexStringLower(known.NodeId.Span)}")}; " +
                    $"node {Convert.ToHexStringLower(checkpoint.NodeId.Span)} cannot save its state");
            }

            await _checkpoints.PutIfNewerAsync(key, checkpoint, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task MarkDeadAsync(Func<Proto.ActorInfo, bool> which, string reason, ActorDeathCause cause, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            foreach (var (key, actor) in _actors.Where(a => a.Value.State != Proto.ActorState.Dead && which(a.Value)).ToList())
            {
                await MarkRecordDeadAsync(key, actor, reason, cause, cancellationToken);
            }

            await ForgetOldestDeadAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // Under _writeLock: the actor is DEAD, its name free, its checkpoint gone.
    private async Task MarkRecordDeadAsync(string key, Proto.ActorInfo actor, string reason, ActorDeathCause cause, CancellationToken cancellationToken)
    {
        var record = actor.Clone();
        record.State = Proto.ActorState.Dead;
        record.DeathReason = reason;
        record.DeathCause = (int)cause;
        record.EndUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _store.PutAsync(ControlTables.Actors, key, record.ToByteArray(), cancellationToken);
        _actors[key] = record;
        _restarting.TryRemove(key, out _);
        _deadByEnd.Enqueue(key);
        if (record.Name.Length > 0)
        {
            _names.TryRemove(KeyValuePair.Create((record.Namespace, record.Name), key));
        }

        await _checkpoints.DeleteAsync(key, cancellationToken);
        ControlLog.ActorEnded(_logger, key, record.DeathReason);
    }

    // Under _writeLock (or while loading, before anyone reads): the dead actors beyond the cap leave
    // the store first, then memory, so the store never lacks a record the table still shows.
    private async Task ForgetOldestDeadAsync(CancellationToken cancellationToken)
    {
        while (_deadByEnd.Count > _deadActorHistory)
        {
            string key = _deadByEnd.Peek();
            await _store.DeleteAsync(ControlTables.Actors, key, cancellationToken);
            _actors.TryRemove(key, out _);
            _deadByEnd.Dequeue();
        }
    }
}
