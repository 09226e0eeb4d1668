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
            else if (record.Name.Length > 0)
            {
                _names[(record.Namespace, record.Name)] = key;
            }
        }

        // End times have millisecond resolution: ties are broken by id, the only order left after a restart.
        foreach (var (_, key) in dead.OrderBy(static d => d.EndUnixMs).ThenBy(static d => d.Key, StringComparer.Ordinal))
        {
            _deadByEnd.Enqueue(key);
        }

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

    /// <summary>The actor ended: it is marked DEAD with <paramref name="reason"/>. Idempotent; an unknown actor is ignored.</summary>
    public Task EndAsync(ByteString actorId, string reason, CancellationToken cancellationToken) =>
        MarkDeadAsync(record => record.ActorId == actorId, reason, cancellationToken);

    /// <summary>A node died: every live actor it hosted or held is marked DEAD.</summary>
    public Task NodeDiedAsync(ByteString nodeId, CancellationToken cancellationToken) =>
        MarkDeadAsync(
            record => record.NodeId == nodeId,
            $"its node {Convert.ToHexStringLower(nodeId.Span)} died or left the cluster",
            cancellationToken);

    /// <summary>A job finished: its live actors that are not detached are marked DEAD.</summary>
    public Task JobFinishedAsync(ByteString jobId, CancellationToken cancellationToken) =>
        MarkDeadAsync(
            record => record.JobId == jobId && !record.Detached,
            $"its job {Convert.ToHexStringLower(jobId.Span)} finished (the actor is not detached)",
            cancellationToken);

    private async Task MarkDeadAsync(Func<Proto.ActorInfo, bool> which, string reason, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            foreach (var (key, actor) in _actors.Where(a => a.Value.State != Proto.ActorState.Dead && which(a.Value)).ToList())
            {
                var record = actor.Clone();
                record.State = Proto.ActorState.Dead;
                record.DeathReason = reason;
                record.EndUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                await _store.PutAsync(ControlTables.Actors, key, record.ToByteArray(), cancellationToken);
                _actors[key] = record;
                _deadByEnd.Enqueue(key);
                if (record.Name.Length > 0)
                {
                    _names.TryRemove(KeyValuePair.Create((record.Namespace, record.Name), key));
                }

                ControlLog.ActorEnded(_logger, key, record.DeathReason);
            }

            await ForgetOldestDeadAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
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
