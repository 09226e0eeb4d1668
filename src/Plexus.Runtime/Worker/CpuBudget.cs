namespace Plexus.Worker;

/// <summary>
/// The CPUs of one worker process, shared by the tasks it runs. Not thread-safe: the executor
/// uses it under its lock.
/// </summary>
internal sealed class CpuBudget(double capacity)
{
    private const double Tolerance = 1e-9;

    // CPUs held by running tasks that are not waiting on futures. It may exceed the capacity for
    // a while when waiting tasks resume; new tasks then wait until it drops.
    private double _inUse;
    // CPUs reserved by actors living on this worker.
    private double _reserved;

    /// <summary>
    /// Takes <paramref name="cpus"/> if they are free. The node never hands over a task asking
    /// for more than the whole worker has (it stays pending there), so every task fits in time.
    /// </summary>
    public bool TryTake(double cpus)
    {
        if (_inUse + _reserved + cpus > capacity + Tolerance)
        {
            return false;
        }

        _inUse += cpus;
        return true;
    }

    /// <summary>Gives CPUs back (the task finished, or it waits on a future).</summary>
    public void Release(double cpus) => _inUse = Math.Max(0, _inUse - cpus);

    /// <summary>An actor reserves (or, negative, gives back) CPUs for as long as it lives.</summary>
    public void Reserve(double cpus) => _reserved = Math.Max(0, _reserved + cpus);

    /// <summary>Takes CPUs back for a task that resumes after waiting, even over capacity.</summary>
    public void Retake(double cpus) => _inUse += cpus;
}
