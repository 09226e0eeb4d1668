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
/// clients saw. Reads (<see cref="Lookup"/>, <see cref="List"/>) take no lock. A forgotten actor
/// is unknown: registering its id again would succeed, which no node does (an actor id is never
/// reused).
/// </remarks>
internal sealed class ActorTable
{
    private readonly IControlStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // How many dead actors are kept at most.
    private readonly int _deadActorHistory;

    // Actor id (lower-case hex) -> record, ALIVE and DEAD. Records are never mutated; a change replaces them.
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
    /// Adds a live actor; when a live actor holds its name already, the reply says so and names
    /// that actor. Registering a live actor again is a no-op (a retried call is harmless).
    /// </summary>
    /// <param name="actor">The actor, its fields validated by the caller.</param>
    /// <param name="nodeAlive">Whether a node is alive, asked under the table's lock: an actor of a dead node would hold its name for ever.</param>
    /// <param name="cancellationToken">Abandons the wait for the lock.</param>
    /// <exception cref="InvalidOperationException">Its node is not alive, or the actor ended before.</exception>
    public async Task<Proto.RegisterActorReply> RegisterAsync(Proto.ActorInfo actor, Func<ByteString, bool> nodeAlive, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexStringLower(actor.ActorId.Span);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_actors.TryGetValue(key, out var known))
            {
                return known.State == Proto.ActorState.Alive
                    ? new Proto.RegisterActorReply { Registered = true }
                    : throw new InvalidOperationException($"actor {key} ended ({known.DeathReason}); an actor cannot be registered again");
            }

            if (actor.Name.Length > 0 && _names.TryGetValue((actor.Namespace, actor.Name), out var holder))
            {
                return new Proto.RegisterActorReply { Registered = false, Holder = _actors[holder].Clone() };
            }

            if (!nodeAlive(actor.NodeId))
            {
                throw new InvalidOperationException(
                    $"node {Convert.ToHexStringLower(actor.NodeId.Span)} is not alive in the cluster, so it cannot host actor {key}");
            }

            var record = actor.Clone();
            record.State = Proto.ActorState.Alive;
            record.DeathReason = string.Empty;
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

    /// <summary>The live actor holding <paramref name="name"/> in <paramref name="namespace"/>; an empty reply when none does.</summary>
    public Proto.LookupActorReply Lookup(string @namespace, string name) =>
        _names.TryGetValue((@namespace, name), out var key) && _actors.TryGetValue(key, out var actor)
            ? new Proto.LookupActorReply { Actor = actor.Clone() }
            : new Proto.LookupActorReply();

    /// <summary>The actor ended: it is marked DEAD with <paramref name="reason"/>. Idempotent; an unknown actor is ignored.</summary>
    public Task EndAsync(ByteString actorId, string reason, CancellationToken cancellationToken) =>
        MarkDeadAsync(record => record.ActorId == actorId, reason, cancellationToken);

    /// <summary>A node died: every live actor it hosted is marked DEAD.</summary>
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
            foreach (var (key, actor) in _actors.Where(a => a.Value.State == Proto.ActorState.Alive && which(a.Value)).ToList())
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
