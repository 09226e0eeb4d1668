using System.Collections.Concurrent;
using Google.Protobuf;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Actors;

/// <summary>
/// The newest saved state of each restartable actor, which its restarts resume from. Kept in the
/// control service's storage, not as an object in a node's store: an object would need an owner
/// that outlives the actor and a copy on another node, while the storage survives node deaths and
/// restarts of the service. Part of the <see cref="ActorTable"/>: changed only under its write lock,
/// written through before it is visible; dropped when the actor ends.
/// </summary>
internal sealed class ActorCheckpointTable(IControlStore store)
{
    /// <summary>The storage table: <c>plexus.control.ActorCheckpoint</c> records keyed by lower-case hex actor id.</summary>
    public const string Table = "checkpoints";

    /// <summary>The largest state kept: well under gRPC's default 64 MiB message limit, with room for the rest of the reply.</summary>
    public const int MaxStateBytes = 32 << 20;

    // Actor id (hex) -> its newest checkpoint. Records are never mutated; a change replaces them.
    private readonly ConcurrentDictionary<string, Proto.ActorCheckpoint> _checkpoints = new(StringComparer.Ordinal);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, value) in await store.GetAllAsync(Table, cancellationToken))
        {
            _checkpoints[key] = Proto.ActorCheckpoint.Parser.ParseFrom(value);
        }
    }

    /// <summary>The state of the newest checkpoint of <paramref name="key"/>; empty when none is kept.</summary>
    public ByteString StateOf(string key) => _checkpoints.TryGetValue(key, out var kept) ? kept.State : ByteString.Empty;

    /// <summary>Keeps <paramref name="checkpoint"/> unless a newer one is kept (a later incarnation, or more calls in the same one).</summary>
    public async Task PutIfNewerAsync(string key, Proto.ActorCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        if (_checkpoints.TryGetValue(key, out var kept) && (checkpoint.Incarnation, checkpoint.CallsApplied).CompareTo((kept.Incarnation, kept.CallsApplied)) <= 0)
        {
            return;
        }

        var record = checkpoint.Clone();
        await store.PutAsync(Table, key, record.ToByteArray(), cancellationToken);
        _checkpoints[key] = record;
    }

    /// <summary>The actor ended: its checkpoint goes, from the store first.</summary>
    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (_checkpoints.ContainsKey(key))
        {
            await store.DeleteAsync(Table, key, cancellationToken);
            _checkpoints.TryRemove(key, out _);
        }
    }
}
