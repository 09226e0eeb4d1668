using System.Linq.Expressions;
using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus;

/// <summary>
/// A handle to an actor: call its methods (each call returns a future), pass the handle to tasks
/// and other actors (it serializes), or kill the actor. Calls from one process run in the order
/// they were made. An owned (not detached) actor ends when no process holds a handle to it any
/// more (each dropped by Dispose or by the garbage collector), or when its creator exits.
/// </summary>
public sealed class ActorHandle<T> : IDisposable where T : class
{
    internal ActorHandle(ActorSpec spec, CoreRuntime runtime, ObjectRef<bool>? anchor)
    {
        Spec = spec;
        Runtime = runtime;
        Anchor = anchor;
    }

    /// <summary>The actor's id: deterministic within the job that created it.</summary>
    public TaskId Id => Spec.Id;

    /// <summary>Its name, if it has one.</summary>
    public string? Name => Spec.Name;

    internal ActorSpec Spec { get; }

    internal CoreRuntime Runtime { get; }

    /// <summary>
    /// The owned actor's anchor object: every handle refers to it, so the object borrower protocol
    /// knows which processes hold handles; when the last goes, the actor ends. Null for detached
    /// actors and for handles found by name.
    /// </summary>
    internal ObjectRef<bool>? Anchor { get; }

    /// <summary>
    /// Calls a method (<c>a =&gt; a.Add(5)</c>) or reads a property (<c>a =&gt; a.Version</c>) on the
    /// actor; the result arrives as a future. Arguments are evaluated here and sent. Throws
    /// <see cref="ArgumentException"/> for any other lambda.
    /// </summary>
    public ObjectRef<TResult> Call<TResult>(Expression<Func<T, TResult>> call) => Send<TResult>(call);

    /// <summary>Calls an async method; the future is its awaited result.</summary>
    public ObjectRef<TResult> Call<TResult>(Expression<Func<T, Task<TResult>>> call) => Send<TResult>(call);

    /// <summary>Calls a method returning <see cref="ValueTask{TResult}"/>; the future is its awaited result.</summary>
    public ObjectRef<TResult> Call<TResult>(Expression<Func<T, ValueTask<TResult>>> call) => Send<TResult>(call);

    /// <summary>Calls a <c>void</c> method; the future completes once it has run, or fails with its exception.</summary>
    public ObjectRef<Done> Call(Expression<Action<T>> call) => Send<Done>(call);

    /// <summary>Calls an async method with no result; the future completes once its task has, or fails with its exception.</summary>
    public ObjectRef<Done> Call(Expression<Func<T, Task>> call) => Send<Done>(call);

    /// <summary>Calls a method returning <see cref="ValueTask"/>; the future completes once it has, or fails with its exception.</summary>
    public ObjectRef<Done> Call(Expression<Func<T, ValueTask>> call) => Send<Done>(call);

    /// <summary>Ends the actor now: calls not yet run fail with <see cref="ActorDiedException"/>.</summary>
    public void Kill() => Runtime.KillActor(Id);

    /// <summary>Drops this handle now (see the class remarks); the actor ends once no process holds one.</summary>
    public void Dispose() => Anchor?.Dispose();

    /// <inheritdoc />
    public override string ToString() => Name is null ? $"Actor({Id})" : $"Actor({Name}, {Id})";

    private ObjectRef<TResult> Send<TResult>(LambdaExpression call)
    {
        var (method, args) = ActorExpressions.Call(call, typeof(TResult));
        var ids = Runtime.Submit(method, args, TaskReturns.One, TaskOptions.Default, Id, Anchor);
        return ObjectRef<TResult>.Owned(ids[0], Runtime);
    }
}
