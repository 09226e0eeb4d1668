using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>Cancelling tasks: the cancel follows the task to wherever it is (see <see cref="CancelTask"/>).</summary>
internal sealed partial class NodeDaemon
{
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
}
