using Plexus.Data.Worker;

namespace Plexus.Data.Actors;

/// <summary>
/// One block sent to an actor of a pool: the call's result, answered once, and sent again to
/// another actor when this one died with it.
/// </summary>
internal sealed class ActorCall(ActorPool pool, ActorMember member, StageTask task, ObjectRef<byte[]>? input, ObjectRef<byte[]> result)
{
    /// <summary>Times a block is sent to another actor after the one holding it died: enough for a few failures, not a loop when the block itself kills its actor.</summary>
    public const int MaxResends = 3;

    // 1 once the pool counted this call answered.
    private int answered;

    public ObjectRef<byte[]> Result { get; } = result;

    /// <summary>Times the block was sent again before this call.</summary>
    public int Resends { get; init; }

    /// <summary>Whether the call's failure means its actor is gone while the block is fine: worth sending it to another actor.</summary>
    public bool CanResend(Exception failure) => Resends < MaxResends && failure switch
    {
        ActorDiedException died => died.Cause is ActorDeathCause.WorkerDied or ActorDeathCause.NodeDied or ActorDeathCause.RestartsExhausted,
        ObjectLostException or WorkerCrashedException => true,
        _ => false,
    };

    /// <summary>Counts the call answered at its actor (once, however often it is called).</summary>
    public void Answer()
    {
        if (Interlocked.Exchange(ref answered, 1) == 0)
        {
            pool.Answered(member, Result);
        }
    }

    /// <summary>Drops the dead actor from the pool and sends the block to another; the new call.</summary>
    public async ValueTask<ActorCall> ResendAsync()
    {
        Answer();
        pool.Remove(member);
        PlexusRuntime.Free([Result]);
        return await pool.SubmitAsync(task, input, Resends + 1).ConfigureAwait(false);
    }
}
