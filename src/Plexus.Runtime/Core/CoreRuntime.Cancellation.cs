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

    /// <summary>
    /// Cancels <paramref name="task"/> when <paramref name="token"/> is cancelled (at once if it is
    /// already), without force or recursion; nothing for a token that can never be cancelled.
    /// </summary>
    public void CancelOn(TaskId task, CancellationToken token)
    {
        if (!token.CanBeCanceled || _tasks.Find(task) is not { } submitted)
        {
            return;
        }

        submitted.CancelledBy(token.UnsafeRegister(static state =>
        {
            var (runtime, cancelled) = ((CoreRuntime, TaskId))state!;
            try
            {
                runtime.CancelOwned(cancelled, force: false, recursive: false);
            }
            catch (ObjectDisposedException)
            {
                // The runtime shut down: the task failed with it already.
            }
        }, (this, task)));
        if (_tasks.Find(task) is null)
        {
            submitted.StopCancelling(); // It finished meanwhile: the registration just made would outlive it.
        }
    }

    /// <summary>
    /// A recursive cancel reached a task this process runs: the unfinished tasks its code
    /// submitted are cancelled too, recursively, with the same <paramref name="force"/>.
    /// </summary>
    public void CancelChildrenOf(TaskId parent, bool force)
    {
        foreach (var task in _tasks.Unfinished)
        {
            if (_tasks.Find(task) is { IsActorCall: false } submitted && submitted.Parent == parent)
            {
                CancelOwned(task, force, recursive: true);
            }
        }
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
            // Not sent yet (its arguments resolve, or its token was cancelled already): it fails now, and is never sent.
            FailTask(task, ErrorInfo.Of(ErrorKind.TaskCancelled, $"Task {task} was cancelled before it was sent to a node."));
            return;
        }

        Send(new CancelTask { Task = task, Force = force, Recursive = recursive });
    }
}
