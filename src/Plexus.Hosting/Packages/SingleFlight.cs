using System.Collections.Concurrent;

namespace Plexus.Hosting.Packages;

/// <summary>
/// Runs one operation per key at a time: callers asking for a key already in flight share its
/// task instead of starting another. A finished operation is forgotten, so a failed one is tried
/// again by the next caller, and a caller's token ends only its own wait.
/// </summary>
internal sealed class SingleFlight<TKey, TResult>
    where TKey : notnull
{
    // The operations running now, by key; each removes itself when it finishes.
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TResult>>> _running = new();

    /// <summary>
    /// Joins the operation for <paramref name="key"/>, starting <paramref name="operation"/> when
    /// none runs. The operation runs to its end even when every caller stops waiting: give it a
    /// token of its own to stop it.
    /// </summary>
    public Task<TResult> RunAsync(TKey key, Func<TKey, Task<TResult>> operation, CancellationToken cancellationToken)
    {
        // Lazy: GetOrAdd may call the factory on several threads, but only the stored Lazy runs.
        var flight = _running.GetOrAdd(key, k => new Lazy<Task<TResult>>(() => RunAndForgetAsync(k, operation)));
        return flight.Value.WaitAsync(cancellationToken);
    }

    private async Task<TResult> RunAndForgetAsync(TKey key, Func<TKey, Task<TResult>> operation)
    {
        try
        {
            // Yield first: the Lazy's factory must return before the operation can finish and remove it.
            await Task.Yield();
            return await operation(key).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }
}
