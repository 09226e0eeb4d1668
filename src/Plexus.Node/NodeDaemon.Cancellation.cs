using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>Cancelling tasks: the cancel follows the task to wherever it is (see <see cref="CancelTask"/>).</summary>
internal sealed partial class NodeDaemon
{
    // Forwarded tasks whose cancel was passed on to their peer and not answered yet (under the
    // lock): if the link to that peer is lost first, they are answered cancelled, not run again.
    private readonly HashSet<TaskId> _cancelledForwarded = [];

    // A task's owner on this node, or the node that forwarded the task here, cancels it. Under the
    // lock. A task found nowhere has finished (its TaskFinished is on its way): nothing to do.
    private void OnCancelTask(CancelTask cancel, Outbox outbox)
    {
        if (_scheduler.TryCancelWaiting(cancel.Task, outbox))
        {
            return;
        }

        if (_forwarded.TryGetValue(cancel.Task, out var forwarded) && _peers.TryGet(forwarded.Peer, out var peer))
        {
            // The link keeps order: the cancel reaches the peer after the task it forwarded.
            _cancelledForwarded.Add(cancel.Task);
            outbox.Add(peer, new CancelTask
            {
                Target = ProcessAddress.NodeOf(forwarded.Peer), Source = _address, Task = cancel.Task, Force = cancel.Force, Recursive = cancel.Recursive,
            });
            return;
        }

        if (_scheduler.WorkerOf(cancel.Task) is not { } process)
        {
            return;
        }

        var os = cancel.Force ? _processes.OsProcessOf(process) : null;
        if (os is not null)
        {
            // Its death (OnProcessDied) answers the task cancelled; the tasks queued behind it run
            // again elsewhere, free, and the actors the worker hosts die with it.
            _scheduler.MarkCancelledByForce(process, cancel.Task);
            if (!cancel.Recursive)
            {
                _logger.TaskCancelledByForce(cancel.Task, process, os.Id);
                KillWorker(os);
                return;
            }
        }

        // The worker is asked: to stop the task (a worker with no process of its own, in tests,
        // is asked even with force), or, with force and recursion, to cancel the tasks it
        // submitted first, then to ask for its own kill (a forced cancel without recursion).
        outbox.Add(process, new CancelTask
        {
            Target = _addresses.Of(process), Source = _address, Task = cancel.Task, Force = os is not null, Recursive = cancel.Recursive,
        });
    }

    private static void KillWorker(System.Diagnostics.Process os)
    {
        try
        {
            os.Kill();
        }
        catch (InvalidOperationException)
        {
            // It has exited already: its death is on its way.
        }
    }

    // The peer a cancelled task was forwarded to is lost before it answered: the task is answered
    // cancelled (true), where an uncancelled one would run again elsewhere.
    private bool AnswerCancelledIfLost(TaskSpec spec, ulong peer, Outbox outbox)
    {
        if (!_cancelledForwarded.Remove(spec.Id))
        {
            return false;
        }

        outbox.Add(spec.Owner, new TaskFinished
        {
            Task = spec.Id, Target = spec.Owner, Source = _address, Returns = [],
            Error = ErrorInfo.Of(ErrorKind.TaskCancelled,
                $"Task '{spec.DisplayName}' was cancelled, and node {peer:x16}, which ran it, was lost before it answered.", spec.Name),
        });
        return true;
    }
}
