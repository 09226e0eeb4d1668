using System.Linq.Expressions;
using Plexus.Binding;
using Plexus.Functions;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>
/// An actor handle's state: the actor's spec, the runtime that calls it, for an owned actor the
/// anchor object whose life is the actor's (see docs/ARCHITECTURE.md, Actors), and the actor's tag
/// (Isolation between jobs).
/// </summary>
internal sealed class BoundActor(ActorSpec spec, CoreRuntime runtime, ObjectRef<bool>? anchor, CapabilityTag capability = default) : ActorBinding
{
    public ActorSpec Spec { get; } = spec;

    public CoreRuntime Runtime { get; } = runtime;

    public ObjectRef<bool>? Anchor { get; } = anchor;

    /// <summary>
    /// The actor's tag, the proof that its job handed this handle over: made with the actor or
    /// given by a lookup, or read with the handle; none for a handle that came without one.
    /// </summary>
    public CapabilityTag Capability { get; } = capability;

    public override TaskId Id => Spec.Id;

    public override string? Name => Spec.Name;

    public override string TypeName => Spec.Constructor.Type;

    public override ObjectRef<TResult> Call<TResult>(LambdaExpression call)
    {
        FunctionDescriptor method;
        TaskArgument[] args;
        // The arguments go to the actor's job: refs of the caller's job in them carry their tags.
        using (EncodingDestination.Enter(Id.Job))
        {
            (method, args) = ActorExpressions.Call(call, typeof(TResult));
        }

        var ids = Runtime.Submit(method, args, TaskReturns.One, TaskOptions.Default, Id, Anchor, Spec.Owner.Node, actorCapability: Capability);
        return ObjectRef<TResult>.Owned(ids[0], Runtime);
    }

    public override ObjectRef<Done> Checkpoint()
    {
        var ids = Runtime.Submit(Worker.ActorCheckpoints.Request, [], TaskReturns.One, TaskOptions.Default, Id, Anchor, Spec.Owner.Node, actorCapability: Capability);
        return ObjectRef<Done>.Owned(ids[0], Runtime);
    }

    public override void Kill() => Runtime.KillActor(Id, Spec.Owner.Node, Capability);

    public override void Release() => Anchor?.Dispose();
}
