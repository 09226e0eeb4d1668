using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// Cancelling a task this runtime owns (<c>PlexusRuntime.Cancel</c>). A task still resolving its
/// arguments fails at once and is never sent; a task sent to the node is cancelled there (see
/// <see cref="CancelTask"/>), and its <see cref="TaskFinished"/> says how it ended: cancelled, or
/// its own outcome when it finished first.
/// </summary>
internal sealed partial class CoreRuntime
{
    public override void Cancel(TaskId task, bool force, bool recursive)
    {
        ThrowIfClosed();
        CancelOwned(task, force, recursive);
    }

    private void CancelOwned(TaskId task, bool force, bool recursive)
    {
        if (_tasks.Find(task) is not { } submitted)
        {
            return; // Finished: its outcome stands.
        }

        if (submitted.IsActorCall)
        {
            throw new NotSupportedException(
                $"Object {ObjectId.ForReturn(task, 0)} is the result of an actor call, and actor calls cannot be cancelled: " +
                "give the actor a method that tells the running call to stop, or kill the actor.");
        }

        bool sent;
        lock (submitted)
        {
            submitted.Cancelled = true;
            sent = submitted.Spec is not null;
        }

        if (!sent)
        {
            // Still resolving its arguments: it fails now, and is never sent.
            FailTask(task, ErrorInfo.Of(ErrorKind.TaskCancelled, $"Task {task} was cancelled before it was submitted (its arguments were not ready yet)."));
            return;
        }

        Send(new CancelTask { Task = task, Force = force, Recursive = recursive });
    }
}
