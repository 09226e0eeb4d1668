using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>
/// Which exceptions thrown by a task's code may re-run it (<c>TaskOptions.RetryExceptions</c>). The
/// worker applies it, since only it has the thrown exception's type; the owner, which has the spec
/// and decides the retry, is told through <see cref="TaskFinished.Retryable"/>.
/// </summary>
/// <param name="Types">Full names of the exception types that match, or null for every user exception.</param>
internal sealed record ExceptionRetryPolicy(string[]? Types)
{
    /// <summary>The policy of <paramref name="spec"/>, or null when its exceptions are not retried.</summary>
    public static ExceptionRetryPolicy? Of(TaskSpec spec) => spec.RetryExceptions ? new ExceptionRetryPolicy(spec.RetryExceptionTypes) : null;

    /// <summary>
    /// Whether <paramref name="thrown"/>, which failed the task with <paramref name="error"/>, may
    /// re-run it: only a user exception (<see cref="ErrorKind.TaskFailed"/>; a function that cannot be
    /// loaded or a value that cannot be read fails the same way every time), whose type or a base type
    /// is listed. A failure relayed from an awaited task is matched by the exception that task threw.
    /// </summary>
    public bool Allows(Exception thrown, ErrorInfo error)
    {
        if (error.Kind != ErrorKind.TaskFailed)
        {
            return false;
        }

        if (Types is null)
        {
            return true;
        }

        var original = thrown is TaskFailedException { InnerException: { } rebuilt } ? rebuilt : thrown;
        for (var type = original.GetType(); type is not null; type = type.BaseType)
        {
            if (Array.IndexOf(Types, type.FullName) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
