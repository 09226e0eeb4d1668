namespace Plexus.Control.Storage;

/// <summary>
/// Durable state of the control service: opaque values in named tables, addressed by string keys.
/// </summary>
/// <remarks>
/// The contract is deliberately a plain key-value map per table so that every backend can keep it
/// cheaply: a dictionary (in-memory), a directory or append-only log (file), a hash per table
/// (Redis <c>HSET table key value</c>). Values are serialized protobuf records; the store never
/// interprets them.
///
/// One control service instance owns a store at a time (single writer), and the tables above it
/// serialize their own writes, so the store needs no compare-and-swap. Only state that must
/// survive a restart of the service is written here; volatile state (heartbeat times, resource
/// usage) stays in memory so heartbeats never touch storage.
/// </remarks>
internal interface IControlStore : IAsyncDisposable
{
    /// <summary>Returns the value stored under <paramref name="key"/>, or null.</summary>
    ValueTask<byte[]?> GetAsync(string table, string key, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the value under <paramref name="key"/>.</summary>
    ValueTask PutAsync(string table, string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="key"/>; returns false when it was absent.</summary>
    ValueTask<bool> DeleteAsync(string table, string key, CancellationToken cancellationToken);

    /// <summary>Returns every entry of <paramref name="table"/> (empty when the table does not exist).</summary>
    ValueTask<IReadOnlyList<KeyValuePair<string, byte[]>>> GetAllAsync(string table, CancellationToken cancellationToken);
}
