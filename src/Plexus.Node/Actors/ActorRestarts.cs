using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Restartable actors (<see cref="ActorSpec.MaxRestarts"/>) whose process died, and their
/// checkpoints: the node's part, between its <see cref="ActorManager"/> (which hosts, places and
/// ends actors) and its <see cref="IActorSupervisor"/> (which decides restarts and keeps
/// checkpoints). Called under the node's lock; a supervisor's answer that comes later is taken up
/// under it too (<paramref name="locked"/>).
/// </summary>
/// <param name="actors">The node's actors (the manager's directory).</param>
/// <param name="supervisor">Decides restarts and keeps checkpoints.</param>
/// <param name="locked">Runs a step under the node's lock.</param>
/// <param name="addresses">This node's process addresses.</param>
/// <param name="processes">Where a restarted dedicated actor's new process gets its number.</param>
/// <param name="startProcess">Starts process n of a job package (outside the lock).</param>
/// <param name="packageOf">The package of a job.</param>
internal sealed class ActorRestarts(
    ActorDirectory actors, IActorSupervisor supervisor, Action<Action<Outbox>> locked, LocalAddresses addresses, ProcessTable processes,
    Action<int, string?> startProcess, Func<JobId, string?> packageOf)
{
    /// <summary>What a restart asks of the actor manager: to end an actor for good, or to place a pending one.</summary>
    public interface IHost
    {
        void End(TaskId actor, string reason, ActorDeathCause cause, Outbox outbox);

        void Place(ActorDirectory.HostedActor actor, Outbox outbox);
    }

    /// <summary>
    /// A restartable actor's incarnation died (<paramref name="what"/> happened): it keeps its id,
    /// name and handles, its calls wait, and the supervisor decides whether it is built again.
    /// </summary>
    public void Interrupt(ActorDirectory.HostedActor actor, string what, ActorDeathCause cause, IHost host, Outbox outbox)
    {
        actors.Interrupt(actor);
        var (id, incarnation) = (actor.Spec.Id, actor.Incarnation);
        WhenAnswered(supervisor.ReportFailureAsync(actor.Spec, addresses.Node.Node, incarnation, cause),
            (decision, then) => OnRestartDecided(id, incarnation, what, cause, decision, host, then), outbox);
    }

    // Runs `answered` under the lock with the supervisor's answer: at once when it is in (the
    // embedded supervisor answers at once), else once it comes (a cluster's asks the control service).
    private void WhenAnswered<T>(ValueTask<T> answer, Action<Task<T>, Outbox> answered, Outbox outbox)
    {
        if (answer.IsCompleted)
        {
            answered(answer.AsTask(), outbox);
        }
        else
        {
            _ = WhenAnsweredLaterAsync(answer.AsTask(), answered);
        }
    }

    private async Task WhenAnsweredLaterAsync<T>(Task<T> answer, Action<Task<T>, Outbox> answered)
    {
        await ((Task)answer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        locked(outbox => answered(answer, outbox));
    }

    /// <summary>
    /// A worker saved the state of an actor it hosts: the supervisor keeps it for the actor's
    /// restarts, unless it comes from an incarnation that is not the actor's current one here, or
    /// the actor is not restartable (nothing would ever restore it).
    /// </summary>
    public void OnSaveCheckpoint(int from, SaveCheckpoint save, Outbox outbox)
    {
        var requester = addresses.Of(from);
        var actor = actors.Find(save.Actor);
        var refused = actor is null || actor.Worker != from || actor.Incarnation != save.Incarnation
            ? $"Actor {save.Actor} is not alive on the worker that saved this state (it was killed or restarted meanwhile)."
            : !actor.Spec.Restartable
            ? $"Actor {save.Actor} is not restartable (ActorOptions.MaxRestarts is 0), so no checkpoint of it is kept: give it restarts to use checkpoints."
            : null;
        if (refused is not null)
        {
            outbox.Add(requester, new CheckpointSaved { Target = requester, Source = addresses.Node, RequestId = save.RequestId, Error = refused });
            return;
        }

        WhenAnswered(supervisor.SaveCheckpointAsync(actor!.Spec, addresses.Node.Node, save.Incarnation, save.CallsApplied, save.State), (saved, then) => then.Add(requester, new CheckpointSaved
        {
            Target = requester,
            Source = addresses.Node,
            RequestId = save.RequestId,
            Error = saved.IsCompletedSuccessfully ? saved.Result : $"The checkpoint of actor {save.Actor} could not be stored: {saved.Exception?.GetBaseException().Message}",
        }), outbox);
    }

    // Under the lock: the actor is built again (its interrupted calls re-sent or failed, see
    // InterruptedCalls), or it ends; unless it ended meanwhile (killed, its creator exited).
    private void OnRestartDecided(TaskId id, long incarnation, string what, ActorDeathCause cause, Task<ActorRestartDecision> decided, IHost host, Outbox outbox)
    {
        if (actors.Find(id) is not { Interrupted: { } interrupted } actor || actor.Incarnation != incarnation)
        {
            return;
        }

        var decision = decided.IsCompletedSuccessfully ? decided.Result
            : ActorRestartDecision.End($"Actor {id} died ({what}) and could not be restarted: {decided.Exception?.GetBaseException().Message}", cause);
        if (!decision.Restarts)
        {
            host.End(id, decision.Reason!, decision.Cause, outbox);
            return;
        }

        var plan = InterruptedCalls.Resend(interrupted.Select(call => actor.Kept![call]), actor.Answered!, actor.Spec.MaxTaskRetries);
        foreach (var call in plan.Failed)
        {
            actors.DropCall(actor, call.Id);
            outbox.Add(call.Caller, ActorDeathAnswer.For(addresses.Node, call.Id, call.Caller,
                $"Actor {id} died ({what}) while call {call.Name ?? call.Method.Method} was in flight, which is not sent again: it was sent " +
                $"{call.Attempt + 1} times, as ActorOptions.MaxTaskRetries ({actor.Spec.MaxTaskRetries}) allows. The actor was restarted; call it again.",
                cause));
        }

        var messages = new List<Message> { new HostActor { Spec = actor.Spec, Incarnation = decision.Incarnation, Checkpoint = decision.Checkpoint } };
        foreach (var call in plan.Send)
        {
            if (!call.Cancelled)
            {
                actors.DropCall(actor, call.Id);
                actors.AddCall(actor, call);
            }

            messages.Add(new CallActor { Call = call });
        }

        // The new construction is reported to the creator like the first (the refs the instance keeps).
        actors.AddCall(actor, actor.Spec.Id, actor.Spec.Owner);
        if (actor.Spec.Dedicated)
        {
            var process = processes.NextProcessNumber();
            actors.Restart(actor, decision.Incarnation, messages, process);
            var package = packageOf(id.Job);
            outbox.Defer(() => startProcess(process, package));
        }
        else
        {
            actors.Restart(actor, decision.Incarnation, messages, dedicated: null);
            host.Place(actor, outbox);
        }
    }
}
