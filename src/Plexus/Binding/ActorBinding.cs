using System.Linq.Expressions;

namespace Plexus.Binding;

/// <summary>What an <see cref="ActorHandle{T}"/> holds: the actor's identity and the runtime that calls it.</summary>
internal abstract class ActorBinding
{
    public abstract TaskId Id { get; }

    public abstract string? Name { get; }

    /// <summary>The name of the actor's class, as its constructor was described.</summary>
    public abstract string TypeName { get; }

    /// <summary>Submits one call (a method call or property read on the actor); its result is one object.</summary>
    public abstract ObjectRef<TResult> Call<TResult>(LambdaExpression call);

    /// <summary>Submits a checkpoint of the actor, ordered like a call; the result completes once it is stored.</summary>
    public abstract ObjectRef<Done> Checkpoint();

    public abstract void Kill();

    /// <summary>Drops this handle's hold on an owned actor.</summary>
    public abstract void Release();
}
