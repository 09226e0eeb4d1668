namespace Plexus.Node;

/// <summary>
/// One round of asking the node's runtimes to collect garbage: it ends when every runtime asked
/// has answered <c>CollectDone</c> (each sends its frees first, so they are applied by then),
/// has died, or the pressure loop's deadline passes. Only touched under the node's lock.
/// </summary>
internal sealed class PressureRound(long number, IEnumerable<int> processes)
{
    // The runtimes that have not answered yet.
    private readonly HashSet<int> _waiting = [.. processes];

    public long Number { get; } = number;

    /// <summary>Completed when the last runtime answers; with RunContinuationsAsynchronously, so completing it under the lock runs nothing there.</summary>
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<int> Waiting => _waiting;

    /// <summary>A runtime answered, or died: it is no longer waited for.</summary>
    public void Answered(int process)
    {
        if (_waiting.Remove(process) && _waiting.Count == 0)
        {
            Done.TrySetResult();
        }
    }

    public void CompleteIfNobodyWaits()
    {
        if (_waiting.Count == 0)
        {
            Done.TrySetResult();
        }
    }
}
