using System.Diagnostics;

namespace Plexus.Data.Actors;

/// <summary>
/// One actor of a pool and the calls it is working on; the pool's lock guards them. A call counts
/// until its result is ready, not until the executor reads it: a consumer that pauses leaves blocks
/// made and unread, and the actor that made them is idle.
/// </summary>
internal sealed class ActorMember(ActorHandle<BatchActorHost> handle)
{
    // The results of calls sent and not yet known to be ready or answered.
    private readonly List<ObjectRef<byte[]>> calls = [];

    // When the actor was last seen with no calls (or started).
    private long idleSince = Stopwatch.GetTimestamp();

    public ActorHandle<BatchActorHost> Handle { get; } = handle;

    /// <summary>Calls sent whose results are not ready yet; forgets those that became ready.</summary>
    public int CountPending()
    {
        if (calls.RemoveAll(static call => call.IsReady) > 0 && calls.Count == 0)
        {
            idleSince = Stopwatch.GetTimestamp();
        }

        return calls.Count;
    }

    /// <summary>How long the actor has had no pending call; zero while it has one.</summary>
    public TimeSpan IdleFor() => CountPending() > 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(idleSince);

    public void Called(ObjectRef<byte[]> result) => calls.Add(result);

    /// <summary>Forgets a call the executor is done with (read, abandoned or sent elsewhere).</summary>
    public void Answered(ObjectRef<byte[]> result)
    {
        if (calls.Remove(result) && calls.Count == 0)
        {
            idleSince = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Stops the actor, giving back what it reserved.</summary>
    public void Stop()
    {
        Handle.Kill();
        Handle.Dispose();
    }
}
