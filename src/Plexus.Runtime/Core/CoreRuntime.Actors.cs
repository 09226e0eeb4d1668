using System.Collections.Concurrent;
using Plexus.Core.References;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;

namespace Plexus.Core;

/// <summary>
/// Actors from the caller's side: creating one (its constructor arguments held until it is built),
/// numbering each caller's calls so they run in order, counting the creator's handles, finding
/// actors by name.
/// </summary>
internal sealed partial class CoreRuntime
{
    // Actors this process created and has not yet handed an anchor (see CreatedHere).
    private readonly ConcurrentDictionary<TaskId, byte> _justCreated = new();
    // Constructor arguments of restartable actors this process created: each restart reads them
    // again, so they are held (one more pending-task count) until the actor is killed or its handles go.
    private readonly ConcurrentDictionary<TaskId, NestedRef[]> _restartArguments = new();

    /// <summary>Hosts and runs actors (workers only).</summary>
    public Action<Message>? OnActorMessage { get; set; }

    /// <summary>
    /// Creates an actor and waits for the node's answer (a name taken by a live actor is refused),
    /// never for its constructor's arguments: a future not ready yet travels as such (with its tag
    /// when it is another job's), the worker builds the actor once it is, and calls queue there meanwhile.
    /// </summary>
    public async Task<(ActorSpec Spec, CapabilityTag Capability)> CreateActorAsync(FunctionDescriptor constructor, TaskArgument[] args, ActorOptions options, bool getIfExists)
    {
        ThrowIfClosed();
        var held = new List<NestedRef>();
        var placed = PlaceEncoded(args, held);
        foreach (var arg in placed)
        {
            if (arg.Value is null)
            {
                held.Add(new NestedRef(arg.RefId, arg.RefOwner));
            }
        }

        // Held until the actor is built, so the caller's handles may go while the arguments resolve.
        References.AddPendingTask(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(held));
        GC.KeepAlive(args);
        // Of the job the creating code acts for (see TaskContext.ActingJob).
        var id = CurrentContext.NextChildTaskId();
        var values = new ObjectValue[placed.Length];
        for (var i = 0; i < placed.Length; i++)
        {
            values[i] = placed[i].Value
                ?? (TryResolveNow(placed[i].RefId, placed[i].RefOwner, out var ready) ? ready : FutureArgument(placed[i], id.Job));
        }

        var spec = new ActorSpec
        {
            Id = id,
            Owner = Address,
            Constructor = constructor,
            Args = values,
            Name = options.Name,
            Namespace = options.Namespace ?? CurrentNamespace,
            JobNamespace = SubmittedNamespace,
            Detached = options.Detached,
            MaxConcurrency = options.MaxConcurrency,
            Dedicated = options.DedicatedProcess,
            Cpus = options.Cpus,
            Resources = options.Resources is { Count: > 0 } resources ? new Dictionary<string, double>(resources) : null,
            Placement = Placements.Of(options.Strategy),
            MaxRestarts = options.MaxRestarts,
            MaxTaskRetries = options.MaxTaskRetries,
            CheckpointEvery = options.CheckpointEvery,
            TaskLogLevel = SubmittedTaskLogLevel,
        };
        // The worker reports the finished construction like a task: the arguments are held till then.
        _tasks.Add(spec.Id, new SubmittedTask(0, [.. held]));
        if (spec.Restartable && held.Count > 0)
        {
            References.AddPendingTask(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(held));
            _restartArguments[spec.Id] = [.. held];
        }

        var (requestId, reply) = Requests.Open();
        Send(new CreateActor { RequestId = requestId, Spec = spec, GetIfExists = getIfExists });
        var created = PendingRequests.Expect<ActorCreated>(await reply.ConfigureAwait(false));
        if (created.Spec?.Id != spec.Id)
        {
            // Refused, or an existing actor of that name: this one is never built.
            var effects = new RefEffects();
            ReleaseArguments(spec.Id, effects);
            ReleaseRestartArguments(spec.Id, effects);
            Apply(effects);
        }

        if (created.Spec?.Id == spec.Id)
        {
            _justCreated[spec.Id] = 0;
        }

        var made = created.Spec ?? throw Errors.ToException(created.Error!);
        // An actor found by name comes with its tag; one made now is of the job this code acts for,
        // and its handle holds its tag from the start, so writing it into a value (which may be
        // handed to another job) makes no hash each time.
        return (made, created.Capability.IsPresent ? created.Capability : Capabilities.Of(made.Id));
    }

    // A future constructor argument, with its tag when it is another job's than the actor's: the
    // worker fetches it for the actor's job.
    private ObjectValue FutureArgument(TaskArgument future, JobId actorJob) => ObjectValue.FutureValue(
        future.RefId, future.RefOwner, future.Handle is { } handle ? TagFor(handle, actorJob, ActingJob) : default);

    /// <summary>True once, for an actor this process has just created (not an existing one it was given back).</summary>
    public bool CreatedHere(TaskId actor) => _justCreated.TryRemove(actor, out _);

    /// <summary>The next call to <paramref name="actor"/> from the code running now (its task, actor or the driver).</summary>
    private ActorTarget NextCall(TaskId actor, ulong home, CapabilityTag capability)
    {
        var context = CurrentContext;
        var order = context.Calls;
        return new ActorTarget(actor, order, order.Next(actor), home, context.ActingJob, capability);
    }

    public void KillActor(TaskId actor, ulong home, CapabilityTag capability) => EndActor(new KillActor
    {
        Actor = actor, Home = home, Reason = $"Actor {actor} was killed (ActorHandle.Kill).", Cause = (byte)ActorDeathCause.Killed,
        Job = ActingJob, Capability = capability,
    });

    /// <summary>No process holds a handle to <paramref name="actor"/> any more (its anchor was freed): it ends.</summary>
    public void EndUnreferencedActor(TaskId actor) => EndActor(new KillActor
    {
        // Its creator's runtime ends it: the actor's own job.
        Actor = actor, Reason = $"Actor {actor} ended: no process holds a handle to it any more.", Cause = (byte)ActorDeathCause.OutOfScope, Job = actor.Job,
    });

    // The actor will not be built again: the arguments kept for its restarts go.
    private void EndActor(KillActor kill)
    {
        Send(kill);
        var effects = new RefEffects();
        ReleaseRestartArguments(kill.Actor, effects);
        Apply(effects);
    }

    private void ReleaseRestartArguments(TaskId actor, RefEffects effects)
    {
        if (_restartArguments.TryRemove(actor, out var held))
        {
            References.ReleasePendingTask(held, effects);
        }
    }

    /// <summary>
    /// The anchor of an owned actor this process creates: a tiny owned object every handle refers
    /// to, so the borrower protocol tracks who holds handles. When it is freed the actor ends.
    /// </summary>
    public ObjectId PutAnchor(TaskId actor)
    {
        var anchor = Put(Serialization.ValueCodec.Encode(true, typeof(bool)));
        References.Anchor(anchor, actor);
        return anchor;
    }

    /// <summary>
    /// Gives this worker's node the saved state of an actor it hosts, for the actor's restarts;
    /// throws <see cref="InvalidOperationException"/> saying why when the node did not keep it.
    /// </summary>
    public async Task SaveCheckpointAsync(TaskId actor, long incarnation, long callsApplied, byte[] state)
    {
        var (requestId, reply) = Requests.Open();
        Send(new SaveCheckpoint { RequestId = requestId, Actor = actor, Incarnation = incarnation, CallsApplied = callsApplied, State = state });
        if (PendingRequests.Expect<CheckpointSaved>(await reply.ConfigureAwait(false)).Error is { } refused)
        {
            throw new InvalidOperationException(refused);
        }
    }

    /// <summary>
    /// The live actor named <paramref name="name"/> in <paramref name="namespace"/>, or when null in
    /// the running code's job's, with its tag (it may be another job's).
    /// </summary>
    public async Task<(ActorSpec Spec, CapabilityTag Capability)> LookupActorAsync(string name, string? @namespace)
    {
        var (requestId, reply) = Requests.Open();
        Send(new LookupActor { RequestId = requestId, Name = name, Namespace = @namespace ?? CurrentNamespace });
        var found = PendingRequests.Expect<ActorCreated>(await reply.ConfigureAwait(false));
        return (found.Spec ?? throw Errors.ToException(found.Error!), found.Capability);
    }

    public async Task<ActorSpec[]> ListActorSpecsAsync()
    {
        var (requestId, reply) = Requests.Open();
        Send(new ListActors { RequestId = requestId });
        return PendingRequests.Expect<ActorsListed>(await reply.ConfigureAwait(false)).Actors;
    }
}
