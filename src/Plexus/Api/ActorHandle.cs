using System.Linq.Expressions;
using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus;

/// <summary>
/// A handle to an actor: call its methods (each call returns a future), pass the handle to tasks
/// and other actors (it serializes), or kill the actor. Calls from one process run in the order
/// they were made. In the process that created an owned (not detached) actor, dropping the last
/// handle (Dispose, or the garbage collector) ends the actor.
/// </summary>
public sealed class ActorHandle<T> : IDisposable where T : class
{
    private readonly bool _counted;
    private int _released;

    internal ActorHandle(ActorSpec spec, CoreRuntime runtime)
    {
        Spec = spec;
        Runtime = runtime;
        _counted = spec.Owner == runtime.Address;
        if (_counted)
        {
            runtime.AddCreatorHandle(spec.Id);
        }
        else
        {
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Dropped without Dispose: the garbage collector found it unreachable.</summary>
    ~ActorHandle() => Release();

    /// <summary>The actor's id: deterministic within the job that created it.</summary>
    public TaskId Id => Spec.Id;

    /// <summary>Its name, if it has one.</summary>
    public string? Name => Spec.Name;

    internal ActorSpec Spec { get; }

    internal CoreRuntime Runtime { get; }

    /// <summary>Calls a method; its result arrives as a future. Arguments are evaluated here and sent.</summary>
    public ObjectRef<TResult> Call<TResult>(Expression<Func<T, TResult>> call) => Send<TResult>(call);

    /// <summary>Calls an async method; the future is its awaited result.</summary>
    public ObjectRef<TResult> Call<TResult>(Expression<Func<T, Task<TResult>>> call) => Send<TResult>(call);

    /// <summary>Ends the actor now: calls not yet run fail with <see cref="ActorDiedException"/>.</summary>
    public void Kill() => Runtime.KillActor(Id);

    /// <summary>Drops this handle (see the class remarks); the actor itself is not killed unless this was its creator's last.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => Name is null ? $"Actor({Id})" : $"Actor({Name}, {Id})";

    private ObjectRef<TResult> Send<TResult>(LambdaExpression call)
    {
        var (method, args) = ActorExpressions.Call(call);
        var ids = Runtime.Submit(method, args, 1, TaskOptions.Default, Id);
        return ObjectRef<TResult>.Owned(ids[0], Runtime);
    }

    private void Release()
    {
        if (_counted && Interlocked.Exchange(ref _released, 1) == 0)
        {
            Runtime.ReleaseCreatorHandle(Id, Spec.Detached);
        }
    }
}
