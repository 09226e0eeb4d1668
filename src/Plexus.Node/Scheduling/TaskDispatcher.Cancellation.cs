using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>Cancelling the tasks that wait at this node (see <see cref="CancelTask"/>).</summary>
internal sealed partial class TaskDispatcher
{
    /// <summary>
    /// Removes <paramref name="task"/> if it waits here (queued, parked for its arguments, or held
    /// as infeasible), releases its pins and answers its owner that it was cancelled; false when it
    /// does not wait here.
    /// </summary>
    public bool TryCancelWaiting(TaskId task, Outbox outbox)
    {
        TaskSpec spec;
        if ((_pending.FirstOrDefault(t => t.Spec.Id == task) ?? _parked.FirstOrDefault(t => t.Spec.Id == task)) is { } waiting)
        {
            // A parked task's restores and pulls run on; they find it gone (OnArgumentRestored).
            _pending.Remove(waiting);
            _parked.Remove(waiting);
            _queued.Remove(waiting.Spec);
            Unpin(waiting.Pins, outbox);
            spec = waiting.Spec;
        }
        else if (_infeasible.FindIndex(s => s.Id == task) is var index and >= 0)
        {
            spec = _infeasible[index];
            _infeasible.RemoveAt(index);
        }
        else
        {
            return false;
        }

        outbox.Add(spec.Owner, Failure(spec, ErrorKind.TaskCancelled, $"Task '{spec.DisplayName}' was cancelled before it started."));
        return true;
    }

    /// <summary>The worker process <paramref name="task"/> was handed to, or null when no worker has it.</summary>
    public int? WorkerOf(TaskId task) =>
        _workers.FirstOrDefault(w => w.Value.InFlight.ContainsKey(task)) is { Value: not null } holder ? holder.Key : null;

    /// <summary>
    /// <paramref name="task"/>'s worker is about to be killed to stop it: its death answers the
    /// task cancelled instead of charging it a retry (see <see cref="RemoveWorker"/>).
    /// </summary>
    public void MarkCancelledByForce(int process, TaskId task)
    {
        if (_workers.TryGetValue(process, out var worker) && worker.InFlight.TryGetValue(task, out var inFlight))
        {
            inFlight.CancelledByForce = true;
        }
    }
}
