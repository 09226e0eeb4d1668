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
        }
    }
}
