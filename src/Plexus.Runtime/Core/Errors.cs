using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// Turns failures into what travels (<see cref="ErrorInfo"/>) and back into typed exceptions. The
/// kind alone decides the exception type: a type name that travels is a user exception's, kept for
/// its message and for rebuilding it, never matched.
/// </summary>
internal static class Errors
{
    // What a user exception is called when a peer sent none (it breaks the protocol, but the failure still reaches its awaiters).
    private const string UnnamedRemoteType = "(an exception of unknown type)";

    public static ObjectValue Freed(ObjectId id) =>
        ObjectValue.FailedValue(id, ErrorInfo.Of(ErrorKind.ObjectLost, $"Object {id} was freed by its owner (or never existed)."));

    public static ErrorInfo ShutDown(string message) => ErrorInfo.Of(ErrorKind.ShutDown, message);

    public static ErrorInfo FromException(Exception e, string? taskName) => e switch
    {
        FunctionUnavailableException => Raised(ErrorKind.FunctionUnavailable, e, taskName),
        ValueSerializationException => Raised(ErrorKind.ValueSerialization, e, taskName),
        ObjectStoreFullException => Raised(ErrorKind.StoreFull, e, taskName),
        // An awaited task was cancelled: so is the work that needed its result.
        TaskCancelledException => Raised(ErrorKind.TaskCancelled, e, taskName),
        // A failure relayed from an awaited future keeps the thrown exception's type, message, stack and task.
        TaskFailedException t => new ErrorInfo(ErrorKind.TaskFailed, t.RemoteMessage, t.RemoteStackTrace, t.TaskName)
        {
            RemoteType = t.RemoteType,
            ExceptionState = t.ExceptionState,
        },
        _ => new ErrorInfo(ErrorKind.TaskFailed, e.Message, e.ToString(), taskName)
        {
            RemoteType = e.GetType().FullName,
            ExceptionState = RemoteExceptions.Capture(e),
        },
    };

    /// <summary>The exception an awaiter sees for <paramref name="error"/>: one type per <see cref="ErrorKind"/>.</summary>
    public static Exception ToException(ErrorInfo error) => error.Kind switch
    {
        ErrorKind.TaskFailed => new TaskFailedException(error.RemoteType ?? UnnamedRemoteType, error.Message, error.StackTrace, error.TaskName, RemoteExceptions.Rebuild(error))
        {
            ExceptionState = error.ExceptionState,
        },
        ErrorKind.WorkerCrashed => new WorkerCrashedException(error.Message),
        ErrorKind.FunctionUnavailable => new FunctionUnavailableException(error.Message),
        ErrorKind.ValueSerialization => new ValueSerializationException(error.Message),
        ErrorKind.StoreFull => new ObjectStoreFullException(error.Message),
        ErrorKind.ObjectLost => new ObjectLostException(error.Message, (ObjectLossReason)error.Cause),
        ErrorKind.ObjectUnreachable => new Recovery.ObjectUnreachableException(error.Message, (ObjectLossReason)error.Cause),
        ErrorKind.ObjectReconstructionFailed => new ObjectReconstructionFailedException(error.Message, (ObjectLossReason)error.Cause),
        ErrorKind.LineageEvicted => new LineageEvictedException(error.Message),
        ErrorKind.ReconstructionAttemptsExceeded => new ReconstructionAttemptsExceededException(error.Message),
        ErrorKind.OwnerDied => new OwnerDiedException(error.Message),
        ErrorKind.ShutDown => new ObjectDisposedException(error.Message, (Exception?)null),
        ErrorKind.ActorDied => new ActorDiedException(error.Message, (ActorDeathCause)error.Cause),
        ErrorKind.ActorNameTaken => new ActorNameTakenException(error.Message),
        ErrorKind.ActorNotFound => new ActorNotFoundException(error.Message),
        ErrorKind.NodeUnavailable => new NodeUnavailableException(error.Message),
        ErrorKind.TaskCancelled => new TaskCancelledException(error.Message),
        ErrorKind.ObjectAccessDenied => new ObjectAccessDeniedException(error.Message),
        ErrorKind.ActorAccessDenied => new ActorAccessDeniedException(error.Message),
        // A newer peer's kind: its message still reaches the awaiter.
        _ => new RemoteErrorException(
            $"A process reported a failure of kind {(byte)error.Kind}, which this version of Plexus does not know " +
            $"(that process runs a newer version; run one version in every process of a cluster): {error.Message}"),
    };

    // A failure the worker itself raised: its kind says what it is, so no type name travels.
    private static ErrorInfo Raised(ErrorKind kind, Exception e, string? taskName) => new(kind, e.Message, e.StackTrace ?? string.Empty, taskName);
}
