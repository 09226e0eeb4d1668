using System.Linq.Expressions;
using Plexus.Binding;

namespace Plexus;

/// <summary>
/// A handle to an actor: call its methods (each call returns a future), pass the handle to tasks
/// and other actors (it serializes), or kill the actor. Calls from one process run in the order
/// they were made. An owned (not detached) actor ends when no process holds a handle to it any
/// more (each dropped by Dispose or by the garbage collector), or when its creator exits.
/// </summary>
public sealed class ActorHandle<T> : IDisposable where T : class
{
    internal ActorHandle(ActorBinding binding) => Binding = binding;

    /// <summary>The actor's id: deterministic within the job that created it.</summary>
    public TaskId Id => Binding.Id;

    /// <summary>Its name, if it has one.</summary>
    public string? Name => Binding.Name;

    /// <summary>The actor's identity and the runtime that calls it.</summary>
    internal ActorBinding Binding { get; }

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

    /// <summary>
    /// Saves the actor's state now (<see cref="IActorCheckpoint{TState}.SaveCheckpoint"/>), after the
    /// calls this caller made before and before the ones it makes after, while none of its calls
    /// runs; a restart (<see cref="ActorOptions.MaxRestarts"/>) resumes from the last state saved.
    /// Throws <see cref="InvalidOperationException"/> when <typeparamref name="T"/> does not implement
    /// <see cref="IActorCheckpoint{TState}"/>, <see cref="TaskFailedException"/> when saving failed
    /// (the state threw, could not be serialized, or the actor is not restartable, so no checkpoint
    /// of it is kept), and <see cref="ActorDiedException"/> when the actor is dead.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        if (!Checkpoints)
        {
            throw new InvalidOperationException($"{typeof(T).Name} does not implement IActorCheckpoint<TState>: implement it to checkpoint the actor.");
        }

        using var saved = Binding.Checkpoint();
        await saved.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <typeparamref name="T"/> implements <see cref="IActorCheckpoint{TState}"/>.</summary>
    internal static bool Checkpoints { get; } = typeof(T).GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IActorCheckpoint<>));

    /// <summary>Ends the actor now: calls not yet run fail with <see cref="ActorDiedException"/>.</summary>
    public void Kill() => Binding.Kill();

    /// <summary>Drops this handle now (see the class remarks); the actor ends once no process holds one.</summary>
    public void Dispose() => Binding.Release();

    /// <inheritdoc />
    public override string ToString() => Name is null ? $"Actor({Id})" : $"Actor({Name}, {Id})";

    private ObjectRef<TResult> Send<TResult>(LambdaExpression call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Binding.Call<TResult>(call);
    }
}
