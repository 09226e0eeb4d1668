using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>
/// A worker's answer when its node asks it to stop as idle (<see cref="StopIfIdle"/>): yes only
/// when its process can end with nothing lost, then it exits once the answer is written; no
/// otherwise, and it goes on as before.
/// </summary>
/// <remarks>
/// The node sees the tasks and actors it handed over, not what the worker's runtime holds: objects
/// its tasks put or made by submitting tasks (it owns them, and their lineage), objects it borrows,
/// tasks it submitted and awaits. Those it checks here. The node hands the worker nothing while it
/// asks, so nothing new arrives between the check and the exit; code a task left running after it
/// returned (a thread of its own) is not seen, as it is not when a worker is shut down.
/// </remarks>
/// <param name="runtime">The worker's runtime: what it owns, borrows and awaits.</param>
/// <param name="executor">The tasks it runs and has queued.</param>
/// <param name="actors">The actors it hosts.</param>
/// <param name="flush">Completes once everything sent to the node so far is written.</param>
/// <param name="stop">Ends the worker (as the node's <see cref="Shutdown"/> does).</param>
internal sealed class IdleStop(CoreRuntime runtime, TaskExecutor executor, ActorHost actors, Func<Task> flush, Action stop)
{
    /// <summary>Whether the process could end now and lose nothing.</summary>
    public bool MayStop => executor.IsIdle && actors.Count == 0 && runtime.HoldsNothing;

    /// <summary>Answers the node's ask; on yes, stops the worker once the answer has left (the node must not take its exit for a crash).</summary>
    public async Task AnswerAsync()
    {
        var stopping = MayStop;
        runtime.Send(new StopIfIdleAnswer { Stopping = stopping });
        if (stopping)
        {
            await flush().ConfigureAwait(false);
            stop();
        }
    }
}
