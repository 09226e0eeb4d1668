namespace Plexus.Control.Submissions;

/// <summary>
/// Wakes whoever waits for something to change: <see cref="Next"/> completes at the next
/// <see cref="Pulse"/>. A waiter takes <see cref="Next"/> before it looks, so a change between its
/// look and its wait still wakes it.
/// </summary>
internal sealed class ChangeSignal
{
    // Completed, and replaced, by each pulse.
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Pulse"/> after it was read.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
