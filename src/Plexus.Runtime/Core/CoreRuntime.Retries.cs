using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// Exception retries (<c>TaskOptions.RetryExceptions</c>) are the owner's: it has the spec, and the
/// task keeps holding its arguments while it runs again, so reference counting sees one long task.
/// Crash retries stay the node's, which sees the worker die (<c>TaskDispatcher.RemoveWorker</c>).
/// </summary>
internal sealed partial class CoreRuntime
{
    /// <summary>
    /// Sends the task again, with one more attempt, when its worker found the failure retryable and
    /// the task has retries left; false when the failure stands. Return ids stay the same, so every
    /// handle to them awaits the new execution; the ids of its children and puts change.
    /// </summary>
    private bool TryRetryException(TaskFinished finished, SubmittedTask? submitted)
    {
        if (!finished.Retryable || submitted is null)
        {
            return false;
        }

        lock (submitted)
        {
            // The execution that failed may be a later attempt than the spec sent: the node ran it
            // again after worker crashes. Retries of either kind share MaxRetries.
            if (submitted.Cancelled || submitted.Spec is not { } spec || Math.Max(spec.Attempt, finished.Attempt) is var failed && failed >= spec.MaxRetries)
            {
                return false;
            }

            // The failed execution's worker lives on and may still own the children and puts it
            // made: the retry is a new generation, whose ids differ. (A crash retry, the node's,
            // keeps the generation: the worker that owned the earlier ids is dead.)
            var retry = spec with { Attempt = failed + 1, Generation = spec.Generation + 1, ConfirmStart = false };
            submitted.Spec = retry;
            if (submitted.Remakes is { } record)
            {
                References.RemakeRetried(record, retry);
            }

            Send(new SubmitTask { Spec = retry });
            return true;
        }
    }
}
