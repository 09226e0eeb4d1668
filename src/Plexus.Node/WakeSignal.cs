namespace Plexus.Node;

/// <summary>
/// Wakes one waiting loop; any number of <see cref="Set"/> calls before it wakes count as one.
/// The loop re-reads the state it acts on after every wake, so a signal lost between waking and
/// resetting is harmless: its cause is already visible.
/// </summary>
internal sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    // 1 while a wake is pending, so Set releases the semaphore at most once.
    private int _set;

    public void Set()
    {
        if (Interlocked.Exchange(ref _set, 1) == 0)
        {
            _semaphore.Release();
        }
    }

    /// <summary>Waits for <see cref="Set"/> or the timeout (infinite when null); false on timeout.</summary>
    public async Task<bool> WaitAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        // A deadline already passed (the clock moved on since it was computed) is a wait of zero.
        var wait = timeout is { } t ? (t > TimeSpan.Zero ? t : TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
        var woken = await _semaphore.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        if (woken)
        {
            Volatile.Write(ref _set, 0);
        }

        return woken;
    }

    public void Dispose() => _semaphore.Dispose();
}
