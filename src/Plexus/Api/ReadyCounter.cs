namespace Plexus;

/// <summary>Completes <see cref="Done"/> once <see cref="Signal"/> has been called a given number of times.</summary>
internal sealed class ReadyCounter
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Signals still needed before Done completes.
    private int _remaining;

    public ReadyCounter(int needed)
    {
        _remaining = needed;
        if (needed <= 0)
        {
            _done.TrySetResult();
        }
    }

    public Task Done => _done.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }
}
