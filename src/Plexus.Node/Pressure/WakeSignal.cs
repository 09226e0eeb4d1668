namespace Plexus.Node;

/// <summary>
/// Wakes one waiting loop; any number of <see cref="Set"/> calls before it wakes count as one.
/// The loop re-reads the state it acts on after every wake, so a signal lost between waking and
/// resetting is harmless: its cause is already visible. Timeouts run on the
/// <see cref="TimeProvider"/> given (the node's).
/// </summary>
internal sealed class WakeSignal(TimeProvider time) : IDisposable
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
        var woken = await WaitForSetAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (woken)
        {
            Volatile.Write(ref _set, 0);
        }

        return woken;
    }

    private async Task<bool> WaitForSetAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (timeout is not { } wait)
        {
            await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        // A deadline already passed (the clock moved on since it was computed) is a wait of zero.
        if (wait <= TimeSpan.Zero)
        {
            return _semaphore.Wait(0, cancellationToken);
        }

        // The deadline is a timer of the node's clock, not the semaphore's own (which is real time).
        using var deadline = new CancellationTokenSource(wait, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await _semaphore.WaitAsync(either.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => _semaphore.Dispose();
}
