namespace Plexus;

/// <summary>
/// A task's user code threw. Raised by every awaiter of the task's results, on every hop. When the
/// awaiter can load the thrown exception's type, <see cref="Exception.InnerException"/> is that
/// exception, rebuilt with its own fields and the remote stack, so it can be caught by type:
/// <c>catch (TaskFailedException e) when (e.InnerException is InsufficientFundsException f)</c>.
/// </summary>
public class TaskFailedException(string remoteType, string remoteMessage, string remoteStackTrace, string? taskName, Exception? remoteException = null)
    : Exception($"Task {taskName ?? "(unnamed)"} failed with {remoteType}: {remoteMessage}", remoteException)
{
    // The thrown exception's captured state, passed on when this failure fails another task.
    internal byte[]? ExceptionState { get; init; }

    /// <summary>The full name of the exception type thrown in the task.</summary>
    public string RemoteType { get; } = remoteType;

    /// <summary>The message of the exception thrown in the task.</summary>
    public string RemoteMessage { get; } = remoteMessage;

    /// <summary>The stack trace of the exception where it was thrown, in the worker.</summary>
    public string RemoteStackTrace { get; } = remoteStackTrace;

    /// <summary>The task's name, if it was given one.</summary>
    public string? TaskName { get; } = taskName;

    /// <inheritdoc />
    public override string? StackTrace => RemoteStackTrace + Environment.NewLine + "--- end of remote stack ---" + Environment.NewLine + base.StackTrace;
}

/// <summary>
/// The task was cancelled (<see cref="PlexusRuntime.Cancel"/>, or a cancellation token given at
/// submission) before it finished: it never ran, it stopped when its <see cref="CancellationToken"/>
/// was cancelled, or its worker was killed. Raised by every awaiter of the task's results. A
/// <see cref="OperationCanceledException"/>, so code that handles cancellation catches it.
/// </summary>
public sealed class TaskCancelledException(string message) : OperationCanceledException(message);

/// <summary>The worker process running a task died more often than the task's MaxRetries allows.</summary>
public sealed class WorkerCrashedException(string message) : Exception(message);

/// <summary>A worker could not load a task's function (its assembly, type or method is missing there).</summary>
public sealed class FunctionUnavailableException(string message) : Exception(message);

/// <summary>
/// An object can no longer be read: it was freed, its owner died, or every copy was lost and it
/// could not be made again. <see cref="Reason"/> says which.
/// </summary>
public class ObjectLostException : Exception
{
    /// <summary>An object that was freed by its owner (or never existed): <see cref="ObjectLossReason.Freed"/>.</summary>
    public ObjectLostException(string message)
        : this(message, ObjectLossReason.Freed)
    {
    }

    /// <summary>An object lost for <paramref name="reason"/>.</summary>
    public ObjectLostException(string message, ObjectLossReason reason)
        : base(message) => Reason = reason;

    /// <summary>Why the object cannot be read.</summary>
    public ObjectLossReason Reason { get; }
}

/// <summary>The process that owned an object has exited; objects fate-share with their owner.</summary>
public sealed class OwnerDiedException(string message) : ObjectLostException(message, ObjectLossReason.OwnerDied);

/// <summary>
/// Every copy of an object was lost (its node died) and its owner could not make it again;
/// <see cref="ObjectLostException.Reason"/> says why: it was put rather than computed
/// (<see cref="ObjectLossReason.PutLost"/>), it was an actor call's result, its task cannot run
/// anywhere, or one of its arguments was lost for good.
/// </summary>
public class ObjectReconstructionFailedException(string message, ObjectLossReason reason) : ObjectLostException(message, reason);

/// <summary>
/// A lost object could not be made again because its owner no longer kept the task that made it:
/// the owner's lineage grew past <c>PlexusOptions.MaxLineageBytes</c> and the oldest was dropped.
/// </summary>
public sealed class LineageEvictedException(string message) : ObjectReconstructionFailedException(message, ObjectLossReason.LineageEvicted);

/// <summary>
/// A lost object could not be made again because the task that made it has used every attempt its
/// <c>MaxRetries</c> allows (each re-execution counts as one).
/// </summary>
public sealed class ReconstructionAttemptsExceededException(string message) : ObjectReconstructionFailedException(message, ObjectLossReason.MaxAttemptsExceeded);

/// <summary>Work bound to a node (hard <see cref="SchedulingStrategy.NodeAffinity"/>) cannot run: that node is not alive in the cluster.</summary>
public sealed class NodeUnavailableException(string message) : Exception(message);

/// <summary>The object store had no room for a new object.</summary>
public sealed class ObjectStoreFullException(string message) : Exception(message);

/// <summary>
/// A value could not be serialized or deserialized. The message names the type and the member at
/// fault. Raised at submission for arguments, so nothing is sent.
/// </summary>
public sealed class ValueSerializationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A delegate given as a task captures state (a lambda closing over variables, or an instance
/// method bound to an object). Tasks must be static methods or lambdas that capture nothing.
/// </summary>
public sealed class CapturedStateException(string message) : ArgumentException(message);

/// <summary>
/// The actor is gone: it was killed, its constructor threw (the message says what), its worker
/// process or node died and it may not be restarted, or its creator exited or dropped every handle
/// (unless it is detached). <see cref="Cause"/> says which.
/// </summary>
public sealed class ActorDiedException : Exception
{
    /// <summary>An actor that ended for a cause not given (<see cref="ActorDeathCause.Unknown"/>).</summary>
    public ActorDiedException(string message)
        : this(message, ActorDeathCause.Unknown)
    {
    }

    /// <summary>An actor that ended for <paramref name="cause"/>.</summary>
    public ActorDiedException(string message, ActorDeathCause cause)
        : base(message) => Cause = cause;

    /// <summary>Why the actor ended.</summary>
    public ActorDeathCause Cause { get; }
}

/// <summary>An actor name is taken by a live actor in that namespace.</summary>
public sealed class ActorNameTakenException(string message) : Exception(message);

/// <summary>No live actor has that name in that namespace.</summary>
public sealed class ActorNotFoundException(string message) : Exception(message);

/// <summary>
/// The reading job was not given the object: its id belongs to another job, and the ref carried no
/// proof that the other job handed it over (it was built from a displayed, guessed or replayed id).
/// Objects cross jobs only as refs passed by their job: in an actor call's arguments, or returned
/// by another job's actor. The message names the object and the reading job.
/// </summary>
public sealed class ObjectAccessDeniedException(string message) : Exception(message);

/// <summary>
/// The calling job was not given the actor: its id belongs to another job, and the handle carried
/// no proof that the other job handed it over. Another job's actor is called through a handle that
/// job passed on, or one found by name in a namespace both jobs use. The message names the actor
/// and the calling job.
/// </summary>
public sealed class ActorAccessDeniedException(string message) : Exception(message);

/// <summary>
/// Another process reported a failure of a kind this process does not know: it runs a newer
/// version of Plexus. The message is the one that process sent. Run one version of Plexus in
/// every process of a cluster.
/// </summary>
public sealed class RemoteErrorException(string message) : Exception(message);
