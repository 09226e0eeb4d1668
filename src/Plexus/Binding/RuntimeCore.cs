using System.Linq.Expressions;

namespace Plexus.Binding;

/// <summary>
/// The runtime of one process (a driver or a worker) as the public API sees it. The API assembly
/// holds no runtime code: every handle, builder and <see cref="PlexusRuntime"/> calls through this
/// class, which <c>Plexus.Runtime</c> implements. A handle is bound to the instance that made or
/// decoded it, so several runtimes can live in one process.
/// </summary>
internal abstract class RuntimeCore
{
    /// <summary>This runtime's process: the owner of what it puts and submits.</summary>
    public abstract ProcessAddress Address { get; }

    public abstract JobId Job { get; }

    /// <summary>Where what user code logs through <see cref="PlexusRuntime.LoggerFactory"/> goes (see there).</summary>
    public abstract Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory { get; }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the runtime is closed.</summary>
    public abstract void ThrowIfClosed();

    /// <summary>A handle was made: one more sign of activity for the idle collector.</summary>
    public abstract void NoteActivity();

    /// <summary>Counts one more handle to an object; false when the object is already freed.</summary>
    public abstract bool AddHandle(ObjectId id, ProcessAddress owner);

    /// <summary>A handle was disposed: its count goes now.</summary>
    public abstract void ReleaseHandle(ObjectId id);

    /// <summary>A handle was finalized: its count goes later, off the finalizer thread.</summary>
    public abstract void ReleaseFinalizedHandle(ObjectId id);

    /// <summary>
    /// Completes once the object's value (or failure) is known to this process; with a refusal when
    /// the code running now may not read it (another job's object it was not handed).
    /// </summary>
    public abstract Task ResolveAsync(ObjectRef reference);

    /// <summary>The resolution of a handle that no longer counts: the object reads as freed.</summary>
    public abstract Task Freed(ObjectId id);

    /// <summary>True when a resolution completed with a failure (<see cref="ObjectRef.IsFailed"/>), without describing the object.</summary>
    public abstract bool IsFailed(Task resolved);

    /// <summary>What a completed resolution says of the object (<see cref="ObjectRef.Info"/>).</summary>
    public abstract ObjectInfo Describe(ObjectId id, ProcessAddress owner, Task resolved);

    /// <summary>Waits for the object and reads it as <typeparamref name="T"/>.</summary>
    public abstract ValueTask<T> GetAsync<T>(ObjectRef<T> reference, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>Waits for an array object and pins a zero-copy view of it.</summary>
    public abstract ValueTask<ObjectView<T>> GetViewAsync<T>(ObjectRef<T[]> reference, TimeSpan? timeout, CancellationToken cancellationToken)
        where T : unmanaged;

    /// <summary>Waits for <paramref name="done"/>; inside a task, the task gives its CPU back meanwhile.</summary>
    public abstract Task WaitAsync(Task done, TimeSpan? timeout, CancellationToken cancellationToken);

    public abstract ObjectRef<T> Put<T>(T value);

    public abstract ValueTask<ObjectRef<T>> PutAsync<T>(T value, CancellationToken cancellationToken);

    /// <summary>Memory for return <paramref name="index"/> of the running task, written in place (<see cref="ReturnBuffer"/>).</summary>
    public abstract ReturnBuffer CreateReturnBuffer(int index, int length);

    /// <summary>Prepares a task from a delegate; <paramref name="declaredResult"/> is the type its futures will have.</summary>
    public abstract TaskBuilderCore DescribeTask(Delegate function, Type declaredResult);

    /// <summary>Names a function that travels inside values (<see cref="PlexusRuntime.Function{TDelegate}(TDelegate)"/>).</summary>
    public abstract RemoteFunction<TDelegate> DescribeFunction<TDelegate>(TDelegate function)
        where TDelegate : Delegate;

    /// <summary>Prepares an actor from a constructor call; its arguments are evaluated here.</summary>
    public abstract ActorRecipe DescribeActor(LambdaExpression constructor);

    /// <summary>The live actor named <paramref name="name"/>, checked to be a <paramref name="expected"/>.</summary>
    public abstract Task<ActorBinding> LookupActorAsync(string name, string? @namespace, Type expected);

    public abstract Task<IReadOnlyList<(string Namespace, string Name)>> ListActorsAsync();

    /// <summary>Cancels <paramref name="task"/>, which this runtime submitted (see <c>PlexusRuntime.Cancel</c>); nothing when it has finished.</summary>
    public abstract void Cancel(TaskId task, bool force, bool recursive);
}
