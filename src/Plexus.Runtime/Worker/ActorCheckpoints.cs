using System.Reflection;
using MessagePack;
using Plexus.Core;
using Plexus.Functions;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Worker;

/// <summary>
/// The checkpoints of one hosted actor (<see cref="IActorCheckpoint{TState}"/>): its state saved
/// every <see cref="ActorSpec.CheckpointEvery"/> completed calls and on request, given to the node
/// to keep, and restored on a restarted instance before any call. Its <see cref="HostedActor"/>
/// runs each save while none of the actor's calls runs.
/// </summary>
internal sealed class ActorCheckpoints(CoreRuntime runtime, ActorSpec spec, long incarnation)
{
    /// <summary>
    /// The method a checkpoint request (<c>ActorHandle.CheckpointAsync</c>) calls: sent like any
    /// call, so it is ordered among its caller's calls, and run on this object instead of the actor.
    /// </summary>
    public static FunctionDescriptor Request { get; } =
        FunctionDescriptors.DescribeMember(typeof(ActorCheckpoints).GetMethod(nameof(SaveRequestedAsync))!);

    // Calls completed by this incarnation (touched by one call at a time: its HostedActor counts after each).
    private long _callsApplied;

    /// <summary>The actor's instance, once built.</summary>
    public object? Instance { get; set; }

    /// <summary>Counts a completed call; true when a periodic checkpoint is due now.</summary>
    public bool CallCompleted() => ++_callsApplied is var calls && spec.CheckpointEvery > 0 && calls % spec.CheckpointEvery == 0;

    /// <summary>Saves the state on request; fails the request (the caller's <c>CheckpointAsync</c>) when it cannot.</summary>
    public Task SaveRequestedAsync() => SaveAsync();

    /// <summary>Saves the state: the actor's own, serialized, kept by the node.</summary>
    public async Task SaveAsync()
    {
        var instance = Instance ?? throw new InvalidOperationException($"Actor {spec.Id} has no instance to checkpoint.");
        var (stateType, save, _) = Methods(instance);
        var state = Invoke(save, instance, []);
        await runtime.SaveCheckpointAsync(spec.Id, incarnation, _callsApplied, MessagePackSerializer.Serialize(stateType, state, ValueCodec.Options))
            .ConfigureAwait(false);
    }

    /// <summary>Gives a restarted instance the state its last checkpoint saved; throws what restoring threw.</summary>
    public static void Restore(object instance, byte[] state, CoreRuntime runtime)
    {
        var (stateType, _, restore) = Methods(instance);
        Invoke(restore, instance, [MessagePackSerializer.Deserialize(stateType, state, runtime.ValueOptions)]);
    }

    // The actor's IActorCheckpoint<TState>: its TState and its two methods.
    private static (Type State, MethodInfo Save, MethodInfo Restore) Methods(object instance)
    {
        var contract = Array.Find(instance.GetType().GetInterfaces(), i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IActorCheckpoint<>))
            ?? throw new InvalidOperationException($"{instance.GetType().Name} does not implement IActorCheckpoint<TState>: implement it to checkpoint the actor.");
        return (contract.GetGenericArguments()[0], contract.GetMethod(nameof(IActorCheckpoint<int>.SaveCheckpoint))!,
            contract.GetMethod(nameof(IActorCheckpoint<int>.RestoreCheckpoint))!);
    }

    // The user's own exception, not reflection's wrapper.
    private static object? Invoke(MethodInfo method, object instance, object?[] args)
    {
        try
        {
            return method.Invoke(instance, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } thrown)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(thrown);
            throw;
        }
    }
}
