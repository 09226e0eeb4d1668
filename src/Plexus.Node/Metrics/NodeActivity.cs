namespace Plexus.Node;

/// <summary>
/// What the node has done since it started that it keeps no other record of: tasks finished by
/// outcome, actor calls answered and idle workers stopped. Written under the node's lock (one increment where the
/// node handles the answer anyway); read by metric collection without it: a 64-bit read is
/// atomic, so a scrape sees a count at most a moment old, never a torn one.
/// </summary>
internal sealed class NodeActivity
{
    // Tasks finished here, indexed by TaskOutcome.
    private readonly long[] _finished = new long[TaskOutcomes.All.Length];
    // Calls answered by actors hosted here.
    private long _actorCalls;
    // Pool workers that agreed to stop when asked as idle.
    private long _idleStops;

    /// <summary>A task of this node finished (its worker answered, or the node failed it).</summary>
    public void TaskFinished(TaskOutcome outcome) => _finished[(int)outcome]++;

    /// <summary>An actor hosted here answered a call.</summary>
    public void ActorCallAnswered() => _actorCalls++;

    /// <summary>A pool worker asked to stop as idle agreed, and exits.</summary>
    public void WorkerStoppedIdle() => _idleStops++;

    /// <summary>Tasks finished with <paramref name="outcome"/> since the node started.</summary>
    public long Finished(TaskOutcome outcome) => Volatile.Read(ref _finished[(int)outcome]);

    /// <summary>Calls answered by actors hosted here since the node started.</summary>
    public long ActorCalls => Volatile.Read(ref _actorCalls);

    /// <summary>Pool workers stopped as idle since the node started.</summary>
    public long IdleStops => Volatile.Read(ref _idleStops);
}
