using System.Linq.Expressions;
using Plexus.Binding;
using Plexus.Functions;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// An actor handle's state: the actor's spec, the runtime that calls it, and for an owned actor
/// the anchor object whose life is the actor's (see docs/ARCHITECTURE.md, Actors).
/// </summary>
internal sealed class BoundActor(ActorSpec spec, CoreRuntime runtime, ObjectRef<bool>? anchor) : ActorBinding
{
    public ActorSpec Spec { get; } = spec;

    public CoreRuntime Runtime { get; } = runtime;

    public ObjectRef<bool>? Anchor { get; } = anchor;

    public override TaskId Id => Spec.Id;

    public override string? Name => Spec.Name;

    public override string TypeName => Spec.Constructor.Type;

    public override ObjectRef<TResult> Call<TResult>(LambdaExpression call)
    {
        var (method, args) = ActorExpressions.Call(call, typeof(TResult));
        var ids = Runtime.Submit(method, args, TaskReturns.One, TaskOptions.Default, Id, Anchor, Spec.Owner.Node);
        return ObjectRef<TResult>.Owned(ids[0], Runtime);
    }

    public override ObjectRef<Done> Checkpoint()
    {
        var ids = Runtime.Submit(Worker.ActorCheckpoints.Request, [], TaskReturns.One, TaskOptions.Default, Id, Anchor, Spec.Owner.Node);
        return ObjectRef<Done>.Owned(ids[0], Runtime);
    }

    public override void Kill() => Runtime.KillActor(Id, Spec.Owner.Node);

    public override void Release() => Anchor?.Dispose();
}
