using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>Turns failures into what travels (<see cref="ErrorInfo"/>) and back into typed exceptions.</summary>
internal static class Errors
{
    public static ObjectValue Freed(ObjectId id) => ObjectValue.FailedValue(id, new ErrorInfo(
        ErrorKind.ObjectLost, typeof(ObjectLostException).FullName!,
        $"Object {id} was freed by its owner (or never existed).", string.Empty, null));

    public static ErrorInfo ShutDown(string message) =>
        new(ErrorKind.ShutDown, typeof(ObjectDisposedException).FullName!, message, string.Empty, null);

    public static ErrorInfo FromException(Exception e, string? taskName) => e switch
    {
        FunctionUnavailableException => new ErrorInfo(ErrorKind.FunctionUnavailable, e.GetType().FullName!, e.Message, e.StackTrace ?? string.Empty, taskName),
        ValueSerializationException => new ErrorInfo(ErrorKind.Serialization, e.GetType().FullName!, e.Message, e.StackTrace ?? string.Empty, taskName),
        ObjectStoreFullException => new ErrorInfo(ErrorKind.StoreFull, e.GetType().FullName!, e.Message, e.StackTrace ?? string.Empty, taskName),
        // A failure that came from an awaited future keeps its original kind and origin.
        TaskFailedException t => new ErrorInfo(ErrorKind.UserException, t.RemoteType, t.RemoteMessage, t.RemoteStackTrace, t.TaskName)
        {
            ExceptionState = t.ExceptionState,
        },
        _ => new ErrorInfo(ErrorKind.UserException, e.GetType().FullName!, e.Message, e.ToString(), taskName)
        {
            ExceptionState = RemoteExceptions.Capture(e),
        },
    };

    public static Exception ToException(ErrorInfo error) => error.Kind switch
    {
        ErrorKind.WorkerCrashed => new WorkerCrashedException(error.Message),
        ErrorKind.ShutDown => new ObjectDisposedException(error.Message, (Exception?)null),
        ErrorKind.FunctionUnavailable => new FunctionUnavailableException(error.Message),
        ErrorKind.Serialization => new ValueSerializationException(error.Message),
        ErrorKind.StoreFull => new ObjectStoreFullException(error.Message),
        ErrorKind.ObjectLost when error.Type == typeof(OwnerDiedException).FullName => new OwnerDiedException(error.Message),
        ErrorKind.ObjectLost => new ObjectLostException(error.Message),
        ErrorKind.ActorDied when error.Type == typeof(ActorNameTakenException).FullName => new ActorNameTakenException(error.Message),
        ErrorKind.ActorDied when error.Type == typeof(ActorNotFoundException).FullName => new ActorNotFoundException(error.Message),
        ErrorKind.ActorDied => new ActorDiedException(error.Message),
        _ => new TaskFailedException(error.Type, error.Message, error.StackTrace, error.TaskName, RemoteExceptions.Rebuild(error))
        {
            ExceptionState = error.ExceptionState,
        },
    };
}
