using System.Collections.Concurrent;

namespace Plexus.Control.Storage;

/// <summary>
/// The embedded default store: state lives as long as the service process. A restarted service
/// starts empty, and nodes learn it from a heartbeat reply (known = false) and register again.
/// </summary>
internal sealed class InMemoryControlStore : IControlStore
{
    // Table name -> (key -> value). Values are copied on the way in and out, so callers never share
    // a buffer with the store, as they would not with a file or Redis backend.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _tables =
        new(StringComparer.Ordinal);

    public ValueTask<byte[]?> GetAsync(string table, string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[]? value = _tables.TryGetValue(table, out var entries) && entries.TryGetValue(key, out var stored)
            ? stored.AsSpan().ToArray()
            : null;
        return ValueTask.FromResult(value);
    }

    public ValueTask PutAsync(string table, string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entries = _tables.GetOrAdd(table, static _ => new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal));
        entries[key] = value.ToArray();
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteAsync(string table, string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool removed = _tables.TryGetValue(table, out var entries) && entries.TryRemove(key, out _);
        return ValueTask.FromResult(removed);
    }

    public ValueTask<IReadOnlyList<KeyValuePair<string, byte[]>>> GetAllAsync(string table, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<KeyValuePair<string, byte[]>> all = _tables.TryGetValue(table, out var entries)
            ? entries.Select(static e => KeyValuePair.Create(e.Key, e.Value.AsSpan().ToArray())).ToArray()
            : [];
        return ValueTask.FromResult(all);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
